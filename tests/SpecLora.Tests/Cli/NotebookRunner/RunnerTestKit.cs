using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

/// <summary>Helpers of the runner's tests: the hostile fixture notebooks, a script check for pages, and the CLI run as
/// users run it (a process of its own, for the cases where the process is what is under test: Ctrl+C, timeouts).</summary>
public static partial class RunnerTestKit
{
    /// <summary>The folder of the hostile fixture notebooks copied with the test binaries.</summary>
    public static string HostileDir => Path.Combine(NotebookFiles.FixtureDir, "hostile");

    /// <summary>A copy of the hostile fixture <paramref name="name"/> in <paramref name="dir"/> (a fresh temporary folder by default).</summary>
    public static string Hostile(string name, string? dir = null)
    {
        dir ??= NotebookFiles.TempDir();
        var to = Path.Combine(dir, name);
        File.Copy(Path.Combine(HostileDir, name), to);
        return to;
    }

    /// <summary>A notebook of bare code cells (no markdown), nbformat 4.5.</summary>
    public static string Code(string dir, string name, params string[] cells)
        => NotebookFiles.Write(dir, name, cells.Select(c => ("code", c)).ToArray());

    [GeneratedRegex(@"<script|<[a-zA-Z][^<>]*\son[a-zA-Z]+\s*=|<[a-zA-Z][^<>]*\s(href|src|xlink:href|action|values)\s*=\s*[""']?\s*(javascript|vbscript|data:text)|<iframe|<object|<embed", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptLike();

    /// <summary>Fails when <paramref name="html"/> holds a script element, an event attribute, a script or HTML data URL
    /// in a link, or a frame or plugin (escaped text, such as code shown on the page, does not count).</summary>
    public static void AssertNoScript(string html)
    {
        var m = ScriptLike().Match(html);
        Assert.False(m.Success, m.Success ? $"script-like markup at {m.Index}: {html.Substring(Math.Max(0, m.Index - 40), Math.Min(160, html.Length - Math.Max(0, m.Index - 40)))}" : "");
    }

    /// <summary>Every file under <paramref name="dir"/> with its bytes, for a byte-for-byte comparison.</summary>
    public static Dictionary<string, string> Snapshot(string dir)
        => Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>The executed notebook's cell <paramref name="index"/> (1-based).</summary>
    public static JsonObject Cell(NotebookRunResult r, int index) => (JsonObject)((JsonArray)r.Executed["cells"]!)[index - 1]!;

    /// <summary>The outputs of cell <paramref name="index"/>.</summary>
    public static JsonArray Outputs(NotebookRunResult r, int index) => (JsonArray)Cell(r, index)["outputs"]!;

    /// <summary>What an output shows: stream text, text/plain when given, else text/html, else the error value.</summary>
    public static string Shown(JsonNode? o) => (string?)o!["output_type"] switch
    {
        "stream" => NotebookDocument.JoinSource(o["text"]),
        "error" => (string)o["evalue"]!,
        _ => NotebookDocument.JoinSource(o["data"]!["text/plain"] ?? o["data"]!["text/html"]),
    };

    /// <summary>The CLI's own build output, run as users run it.</summary>
    public static string CliDll
    {
        get
        {
            var cli = Path.Combine(Golden.RepoRoot, "lib", "SpecLora.Cli", "bin", "Release", "net10.0", "SpecLora.Cli.dll");
            Assert.True(File.Exists(cli), $"{cli} not built (dotnet build -c Release)");
            return cli;
        }
    }

    /// <summary>Starts <c>dotnet SpecLora.Cli.dll ARGS</c> in <paramref name="dir"/> with stdout and stderr piped (so not a terminal).</summary>
    public static Process StartCli(string dir, IDictionary<string, string?>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = dir, UseShellExecute = false };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string?>()) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>Runs the CLI to its end (at most <paramref name="limit"/>) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(string dir, TimeSpan limit, IDictionary<string, string?>? env, params string[] args)
    {
        using var process = StartCli(dir, env, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the CLI did not end within {limit.TotalSeconds} s: {string.Join(' ', args)}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>True while a process with <paramref name="pid"/> runs (a zombie counts as ended).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat)) return false;
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException) { return false; }
    }
}
