using System.Diagnostics;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Cli.Bench;

/// <summary>
/// <c>speclora invert PICTURE -o DIR --duration 30</c> as users run it: a new process (<c>dotnet SpecLora.Cli.dll …</c>,
/// the DLL of this very build), timed from start to exit, so start-up, JIT and the summary table count (issue 8). The
/// picture is the makeMels JPEG of 30 s of a real recording (<c>../shared/corpus/real/ref/nutcracker_30s.jpg</c>) when
/// the developers' corpus is there, else a makeMels JPEG of 30 s of our embedded piano clip, drawn here; a second row
/// inverts a training mel (<c>data/seed/mels/mel0.jpg</c>) when it has been fetched. The reference is librosa's image →
/// audio for the same kind of picture, whole process, as quoted in <c>../shared/corpus/real/README.md</c>.
/// </summary>
internal sealed class WholeProcessBenchSuite : IBenchSuite
{
    private const double TargetSeconds = 0.9;
    /// <summary>librosa's image → audio for a 30-s picture, whole process, 2 cores: 6.9–11.5 s (quoted).</summary>
    private const double LibrosaFastestSeconds = 6.9;

    public string Name => "invert as a whole process (30-s picture)";

    public IEnumerable<BenchRow> Run(BenchOptions options)
    {
        var runs = options with { Samples = options.Quick ? 3 : 7, WarmUps = 1 };
        var dir = Directory.CreateTempSubdirectory("speclora-bench-process-");
        try
        {
            var root = Commands.CommandSupport.FindRepoRoot(AppContext.BaseDirectory, Environment.CurrentDirectory);   // this build's repository, else the current one
            var real = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "corpus", "real", "ref", "nutcracker_30s.jpg"));
            string picture, what;
            if (real is not null && File.Exists(real))
            {
                picture = real;
                what = "invert, whole process: 30-s makeMels JPEG of a real recording";
            }
            else
            {
                picture = Path.Combine(dir.FullName, "piano_30s.jpg");
                var clip = InversionBenchSuite.Piano(30);
                MelImage.Save(picture, Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels));
                what = "invert, whole process: 30-s makeMels JPEG of our piano clip";
            }
            yield return Measure(what, picture, dir.FullName, runs);

            var seed = root is null ? null : Path.Combine(root, "data", "seed", "mels", "mel0.jpg");
            if (seed is not null && File.Exists(seed))
                yield return Measure("invert, whole process: training mel0.jpg (640×480) as 30 s", seed, dir.FullName, runs);

            // `speclora analyze PICTURE`: one 640×480 picture (a training mel, else the picture above), beside the same
            // command of another build when --baseline-cli is given (runs alternate, so both see the same machine)
            var analyzed = seed is not null && File.Exists(seed) ? seed : picture;
            yield return MeasureAnalyze(analyzed, runs);
        }
        finally { dir.Delete(true); }
    }

    private static BenchRow Measure(string what, string picture, string work, BenchOptions runs)
    {
        var (dotnet, args) = Command(picture, Path.Combine(work, "out"));
        const string reference = "librosa image → audio, whole process, 6.9–11.5 s (quoted)";
        var samples = new List<double>();
        for (int i = 0; i < runs.WarmUps + runs.Samples; i++)
        {
            var (seconds, error) = Run(dotnet, args);
            if (error is not null) return new BenchRow(what, double.NaN, reference, LibrosaFastestSeconds, TargetSeconds, error);
            if (i >= runs.WarmUps) samples.Add(seconds);
        }
        samples.Sort();
        return new BenchRow(what, samples[samples.Count / 2], reference, LibrosaFastestSeconds, TargetSeconds,
            $"`{Path.GetFileName(dotnet)} SpecLora.Cli.dll invert {Path.GetFileName(picture)} -o DIR --duration 30`, {Environment.ProcessorCount} cores; " +
            $"wall from start to exit, median of {samples.Count} after {runs.WarmUps} warm-up; max {BenchTimer.Format(samples[^1])}",
            samples[0]);
    }

    private static BenchRow MeasureAnalyze(string picture, BenchOptions runs)
    {
        string what = $"analyze, whole process: one 640×480 picture ({Path.GetFileName(picture)})";
        var (dotnet, args) = Command(picture, null, "analyze");
        string[]? baseArgs = runs.BaselineCli is { } b ? [b, "analyze", picture] : null;
        var ours = new List<double>(); var theirs = new List<double>();
        for (int i = 0; i < runs.WarmUps + runs.Samples; i++)
        {
            var (seconds, error) = Run(dotnet, args);
            if (error is not null) return new BenchRow(what, double.NaN, "—", null, null, error);
            if (i >= runs.WarmUps) ours.Add(seconds);
            if (baseArgs is null) continue;
            var (bs, berror) = Run(dotnet, baseArgs);
            if (berror is not null) return new BenchRow(what, double.NaN, "the baseline build", null, null, "the baseline build failed: " + berror);
            if (i >= runs.WarmUps) theirs.Add(bs);
        }
        ours.Sort(); theirs.Sort();
        string note = $"`SpecLora.Cli.dll analyze {Path.GetFileName(picture)}` (decode, picture measures and verdict, key, a reconstruction for the harmonic ratio and flatness), wall from start to exit, median of {ours.Count}; no target";
        return baseArgs is null
            ? new BenchRow(what, ours[ours.Count / 2], "no paired build (give --baseline-cli)", null, null, note, ours[0])
            : new BenchRow(what, ours[ours.Count / 2], $"the same command, build in {Path.GetFileName(Commands.CommandSupport.FindRepoRoot(Path.GetDirectoryName(runs.BaselineCli!)!) ?? runs.BaselineCli!)}, alternating", theirs[theirs.Count / 2], null, note, ours[0]);
    }

    /// <summary>How users start the CLI: the dotnet host with this build's DLL.</summary>
    private static (string Dotnet, string[] Args) Command(string picture, string? outDir, string verb = "invert")
    {
        var host = Environment.ProcessPath;
        string dotnet = host is not null && Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? host : "dotnet";
        var dll = typeof(Program).Assembly.Location;
        return (dotnet, verb == "invert" ? [dll, "invert", picture, "-o", outDir!, "--duration", "30", "--overwrite"] : [dll, verb, picture]);
    }

    private static (double Seconds, string? Error) Run(string dotnet, string[] args)
    {
        var psi = new ProcessStartInfo(dotnet, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi);
        if (process is null) return (double.NaN, $"could not start {dotnet}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double seconds = sw.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            var text = (stderr.Result + "\n" + stdout).Trim();
            return (double.NaN, $"the child process exited with {process.ExitCode}: {(text.Length > 300 ? text[..300] + "…" : text)}");
        }
        return (seconds, null);
    }
}
