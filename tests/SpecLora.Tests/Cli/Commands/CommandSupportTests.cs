using System.Diagnostics;
using System.Text.RegularExpressions;
using SpecLora.Jobs;
using SpecLora.Audio;
using SpecLora.Cli.Commands;
using SpecLora.Imaging;
using SpecLora.IO;
using SpecLora.Spectrograms;
using SpecLora.Tests.Replicate.Fakes;
using Xunit.Abstractions;

namespace SpecLora.Tests.Cli.Commands;

/// <summary>The CLI's one rule for failures, across every verb.</summary>
[Collection("cli-env")]
public partial class CommandSupportTests(ITestOutputHelper log)
{
    public static TheoryData<string[]> UsageErrors => new()
    {
        new[] { "mels", "a.wav", "-o", "d", "--format", "gif" },
        new[] { "mels", "a.wav", "-o", "d", "--offset", "soon" },
        new[] { "mels", "a.wav" },
        new[] { "invert", "a.png", "-o", "d", "--iterations", "abc" },
        new[] { "invert", "a.png", "-o", "d", "-k", "0" },
        new[] { "roundtrip", "a.wav", "--format", "gif" },
        new[] { "dataset", "folder", "-o", "z.zip", "--size", "big" },
        new[] { "train", "--dataset", "z.zip", "--steps", "many" },
        new[] { "generate", "--setting", "1", "--seed", "abc" },
        new[] { "notebooks", "--cell-timeout", "soon" },
        new[] { "bench", "--json" },
        new[] { "nosuchverb" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Every_usage_error_is_exit_2_and_one_line_without_help_text_or_dotnet_types(string[] args)
    {
        var (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), args);
        log.WriteLine(output);
        Assert.Equal(2, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error:", line);
        Assert.Contains("--help)", line);
        Assert.DoesNotContain("Usage:", output);
        MelsCommandTests.AssertSentence(output);
    }

    [Theory]
    [InlineData("--iterations", "abc", "--iterations 'abc' must be a whole number")]
    [InlineData("--duration", "long", "--duration 'long' must be a number (e.g. 2.5)")]
    public async Task Values_that_do_not_parse_say_what_is_expected_in_words(string option, string value, string expected)
    {
        var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "invert", "a.png", "-o", "d", option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void Interruption_lists_what_was_written_and_what_was_not()
    {
        var finished = new IBatchItem[] { new Item("/in/a.png", "/out/a.wav", null), new Item("/in/b.png", null, "b.png: not a picture") };
        var notFinished = Enumerable.Range(0, 7).Select(i => $"/in/c{i}.png").ToList();
        var text = CommandSupport.Interrupted(new BatchInterruptedException(finished, notFinished, CancellationToken.None));
        Assert.Equal("interrupted: 1 of 9 written (1 failed); not written: c0.png, c1.png, c2.png, c3.png, c4.png, … (7 files)", text);
    }

    private sealed record Item(string Input, string? Output, string? Error) : IBatchItem;

    /// <summary>Sends SIGINT (what Ctrl+C sends) with the system's kill(1).</summary>
    private int Interrupt(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false, RedirectStandardError = true })!;
        var err = kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        if (kill.ExitCode != 0) log.WriteLine($"kill -INT {pid}: exit {kill.ExitCode} {err}");
        return kill.ExitCode;
    }

    [GeneratedRegex(@"interrupted: (\d) of 8 written; not written: ")]
    private static partial Regex InterruptedLine();

    [SkippableFact]
    public async Task Ctrl_C_during_a_multi_file_job_exits_130_and_says_what_was_written_and_what_was_not()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/bin/kill"), "sends SIGINT with /bin/kill (Linux)");
        // A process started from a shell job may inherit SIGINT as ignored; the child would then never see it.
        var ignored = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:"));
        Skip.If((Convert.ToUInt64(ignored[7..].Trim(), 16) & 0x2) != 0, "SIGINT is ignored in this test process (and so in its children)");

        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.Sub("in")).FullName;
        var clip = PianoSynth.RenderFurEliseOpening();
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels);
        var jpeg = MelImage.EncodeJpeg(SpectrogramRenderer.Render(db));
        for (int i = 0; i < 8; i++) File.WriteAllBytes(Path.Combine(input, $"p{i}.jpg"), jpeg);
        var outDir = dir.Sub("out");

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var psi = new ProcessStartInfo(dotnet, [Path.Combine(AppContext.BaseDirectory, "SpecLora.Cli.dll"), "invert", input, "-o", outDir, "-k", "1", "--iterations", "100"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var child = Process.Start(psi)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var stdoutTask = child.StandardOutput.ReadToEndAsync();
        bool sent = false;
        try
        {
            // Watch the output folder (the child's progress lines may reach a pipe only in blocks): once the first WAV
            // is on disk, interrupt. Bounded: at most 1200 looks, 50 ms apart.
            for (int look = 0; look < 1200 && !child.HasExited; look++)
            {
                if (Directory.Exists(outDir) && Directory.EnumerateFiles(outDir, "*.wav").Any())
                {
                    sent = true;
                    Assert.Equal(0, Interrupt(child.Id));
                    break;
                }
                Thread.Sleep(50);
            }
            child.WaitForExit();
        }
        finally
        {
            if (!child.HasExited) child.Kill(true);
        }
        var stdout = await stdoutTask;
        Assert.True(sent, "no WAV was written before the job ended: " + stdout);
        var output = stdout + await stderr;
        log.WriteLine(output);
        Assert.Equal(130, child.ExitCode);
        var m = InterruptedLine().Match(output);
        Assert.True(m.Success, output);
        var wavs = Directory.GetFiles(outDir);
        Assert.All(wavs, w => Assert.EndsWith(".wav", w));                 // no temporary file left behind
        Assert.Equal(int.Parse(m.Groups[1].Value), wavs.Length);           // the sentence matches what is on disk
        Assert.InRange(wavs.Length, 1, 7);
        MelsCommandTests.AssertSentence(output);
    }
}
