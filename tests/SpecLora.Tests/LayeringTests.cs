using System.Text.RegularExpressions;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests;

/// <summary>
/// The library's layers (style.md §3–4): the stages follow the pipeline, Audio → Spectrograms → Imaging → Inversion →
/// Analysis → Replicate → Notebook, and a stage references only itself and earlier stages; the jobs (folders, batches,
/// per-file policy) sit on top and may call every stage; the utilities (IO, Interop, the root namespace) reference no
/// stage. Checked over the source: every <c>using SpecLora.X</c> line and every qualified <c>SpecLora.X.</c> name.
/// </summary>
public class LayeringTests
{
    private static readonly string[] Order = ["Audio", "Spectrograms", "Imaging", "Inversion", "Analysis", "Replicate", "Notebook", "Jobs"];
    private static readonly string[] Utilities = ["IO", "Interop"];

    private static readonly Regex Reference = new(@"(?:^\s*(?:global\s+)?using\s+(?:static\s+)?SpecLora\.(\w+))|(?<![\w.])SpecLora\.(\w+)\.", RegexOptions.Multiline | RegexOptions.Compiled);

    public static IEnumerable<object[]> SourceFiles()
    {
        var lib = Path.Combine(Golden.RepoRoot, "lib", "SpecLora");
        return Directory.EnumerateFiles(lib, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => new object[] { Path.GetRelativePath(lib, f).Replace('\\', '/') });
    }

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public void A_file_references_only_its_own_layer_and_earlier_ones(string file)
    {
        string layer = file.Contains('/') ? file[..file.IndexOf('/')] : "";
        int own = Array.IndexOf(Order, layer);
        bool utility = layer == "" || Utilities.Contains(layer);
        Assert.True(own >= 0 || utility, $"{file} is in a folder that is neither a stage, the jobs nor a utility: {layer}");
        var text = File.ReadAllText(Path.Combine(Golden.RepoRoot, "lib", "SpecLora", file));
        // comments may name any layer (XML docs point at the notebooks and the jobs that call a stage)
        var code = string.Join('\n', text.Split('\n').Select(l => { int c = l.IndexOf("//", StringComparison.Ordinal); return c >= 0 ? l[..c] : l; }));
        foreach (Match m in Reference.Matches(code))
        {
            string target = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            if (target == layer || Utilities.Contains(target) || !Order.Contains(target)) continue;
            int to = Array.IndexOf(Order, target);
            Assert.False(utility, $"{file} (a utility) references the stage {target}: '{m.Value.Trim()}'");
            Assert.True(to < own, $"{file} ({layer}) references {target}, a later layer: '{m.Value.Trim()}'");
        }
    }

    [Fact]
    public void The_check_sees_every_folder_of_the_library()
    {
        var folders = SourceFiles().Select(f => (string)f[0]).Where(f => f.Contains('/')).Select(f => f[..f.IndexOf('/')]).Distinct().ToHashSet();
        Assert.Subset(folders, Order.Concat(Utilities).ToHashSet());
        Assert.Contains("Jobs", folders);
        Assert.True(Reference.IsMatch("using SpecLora.Jobs;") && Reference.IsMatch("var x = SpecLora.Inversion.ImageInversion.Plan(d);"), "the pattern finds both forms");
    }
}
