using System.Diagnostics;
using System.Reflection;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// The command line that starts a notebook's kernel process: this same program with the hidden option
/// <c>notebooks --kernel-job JOB</c>. One process per notebook, as Jupyter runs one kernel per process, so a cell that
/// never returns, floods its output or calls <c>Environment.Exit</c> ends only its own notebook.
/// </summary>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Arguments before <c>notebooks --kernel-job JOB</c>.</param>
public sealed record KernelHost(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The hidden option of <c>speclora notebooks</c> that runs one notebook's cells in this process.</summary>
    public const string JobOption = "--kernel-job";

    /// <summary>
    /// How this process starts itself again:
    /// <list type="bullet">
    /// <item>run as an executable (the app host <c>bin/…/SpecLora.Cli</c>, which <c>dotnet run</c> starts, or the
    /// <c>speclora</c> shim of a .NET tool): that executable;</item>
    /// <item>run by the <c>dotnet</c> host (<c>dotnet SpecLora.Cli.dll</c>, <c>dotnet tool run speclora</c>), or when the
    /// CLI is a library inside another program (the tests): <c>dotnet exec</c> with this program's own
    /// <c>.runtimeconfig.json</c> and <c>.deps.json</c> on the CLI's assembly, so the child resolves the same packages.</item>
    /// </list>
    /// </summary>
    public static KernelHost Current()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var cli = typeof(KernelHost).Assembly;
        var entry = Assembly.GetEntryAssembly();
        var hostIsDotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (!hostIsDotnet && entry == cli) return new KernelHost(process, []);
        var muxer = hostIsDotnet ? process : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var args = new List<string> { "exec" };
        var deps = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';').FirstOrDefault(d => d.Length > 0);
        if (deps is not null && deps.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) && File.Exists(deps))
        {
            var config = deps[..^".deps.json".Length] + ".runtimeconfig.json";
            if (File.Exists(config)) args.AddRange(["--runtimeconfig", config]);
            args.AddRange(["--depsfile", deps]);
        }
        args.Add(cli.Location);
        return new KernelHost(muxer, args);
    }

    /// <summary>The start info of a kernel process for <paramref name="jobFile"/>, working in <paramref name="workingDirectory"/>
    /// (the notebook's folder: <c>#r "relative.dll"</c> and <c>../data/…</c> resolve against it, as in Jupyter), with
    /// stdin, stdout and stderr redirected.</summary>
    internal ProcessStartInfo StartInfo(string jobFile, string workingDirectory)
    {
        var psi = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var a in Arguments) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("notebooks");
        psi.ArgumentList.Add(JobOption);
        psi.ArgumentList.Add(jobFile);
        // the kernel process prints no colours and no progress, whatever the terminal
        psi.Environment["NO_COLOR"] = "1";
        return psi;
    }
}
