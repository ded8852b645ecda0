using System.Text.Json;

namespace SpecLora.Tests.TestSupport;

/// <summary>Reads golden arrays: committed fixtures (synthetic signal, filterbank) and, when present, ../shared/golden.</summary>
public static class Golden
{
    /// <summary>Folder of the committed fixtures (copied to the test output).</summary>
    public static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden");

    /// <summary>The repository root (folder holding SpecLora.Notebooks.sln), found upwards from the test binaries.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SpecLora.Notebooks.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>../shared beside the repository, or null when absent (tests then skip).</summary>
    public static string? SharedDir
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("SPECLORA_SHARED");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            var p = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>Path of a file under ../shared, or skips the test with a message when ../shared is absent.</summary>
    public static string RequireShared(params string[] parts)
    {
        var shared = SharedDir;
        Skip.If(shared == null, "../shared is absent: corpus/seed/golden data from the developers' share are not available here");
        var path = Path.Combine(new[] { shared! }.Concat(parts).ToArray());
        // ../shared is there but the file is not: that is a broken share, not an absent one — fail, don't skip.
        Assert.True(File.Exists(path) || Directory.Exists(path), $"{path} is missing although ../shared exists");
        return path;
    }

    /// <summary>Raw little-endian float32 values of a golden .f32 file.</summary>
    public static float[] ReadF32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var data = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, data, 0, data.Length * 4);
        return data;
    }

    /// <summary>A committed fixture by file name (e.g. "synth2s_y.f32").</summary>
    public static float[] Fixture(string name) => ReadF32(Path.Combine(FixtureDir, name));

    /// <summary>The shape of a golden array from its JSON sidecar.</summary>
    public static int[] Shape(string f32Path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(f32Path, ".json")));
        return doc.RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    /// <summary>Relative Frobenius error ‖a − b‖ / ‖b‖.</summary>
    public static double RelFrobenius(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double num = 0, den = 0;
        for (int i = 0; i < expected.Length; i++) { double d = actual[i] - expected[i]; num += d * d; den += (double)expected[i] * expected[i]; }
        return Math.Sqrt(num / den);
    }

    /// <summary>Max |a − b|.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double m = 0;
        for (int i = 0; i < b.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }
}
