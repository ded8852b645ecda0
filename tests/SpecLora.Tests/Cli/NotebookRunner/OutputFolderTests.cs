using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class OutputFolderTests
{
    private static (string Dir, string A, string B) TwoNotebooks()
    {
        var dir = NotebookFiles.TempDir();
        return (dir, NotebookFiles.WriteCode(dir, "01-a.ipynb", "1"), NotebookFiles.WriteCode(dir, "02-b.ipynb", "2"));
    }

    [Fact]
    public void A_fresh_folder_elsewhere_takes_every_output()
    {
        var (dir, a, b) = TwoNotebooks();
        var plan = OutputFolder.Plan([a, b], Path.Combine(dir, "out"), overwrite: false, out var problems, out var replacing);
        Assert.Empty(problems);
        Assert.Empty(replacing);
        Assert.Equal(Path.Combine(dir, "out", "01-a.ipynb"), plan.IpynbPath(a));
        Assert.Equal(Path.Combine(dir, "out", "02-b.html"), plan.HtmlPath(b));
    }

    [Fact]
    public void The_folder_being_read_is_refused_naming_both_paths_even_with_overwrite()
    {
        var (dir, a, b) = TwoNotebooks();
        foreach (var overwrite in new[] { false, true })
        {
            OutputFolder.Plan([a, b], dir, overwrite, out var problems, out _);
            Assert.Contains($"-o {dir} would write {a} over the notebook being run, {a}: choose another -o folder", problems);
            Assert.Contains(problems, p => p.Contains(b, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_symbolic_link_to_the_folder_being_read_is_the_same_folder()
    {
        var (dir, a, _) = TwoNotebooks();
        var link = Path.Combine(NotebookFiles.TempDir(), "link");
        Directory.CreateSymbolicLink(link, dir);
        OutputFolder.Plan([a], link, overwrite: true, out var problems, out _);
        Assert.Contains(problems, p => p.Contains("over the notebook being run", StringComparison.Ordinal) && p.Contains(a, StringComparison.Ordinal));
    }

    [Fact]
    public void A_dib_may_write_into_its_own_folder_when_nothing_collides_but_never_over_a_notebook_there()
    {
        var dir = NotebookFiles.TempDir();
        var dib = Path.Combine(dir, "d.dib");
        File.WriteAllText(dib, "#!csharp\n\n1\n");
        OutputFolder.Plan([dib], dir, overwrite: false, out var problems, out _);
        Assert.Empty(problems);
        var sibling = NotebookFiles.WriteCode(dir, "d.ipynb", "1");
        OutputFolder.Plan([dib], dir, overwrite: true, out problems, out _);
        Assert.Equal([$"{sibling} is a notebook in a folder being read and would be replaced by the executed copy of another: choose another -o folder"], problems);
    }

    [Fact]
    public void Two_notebooks_with_one_name_and_a_notebook_named_index_are_refused()
    {
        var one = NotebookFiles.WriteCode(NotebookFiles.TempDir(), "01-same.ipynb", "1");
        var two = NotebookFiles.WriteCode(NotebookFiles.TempDir(), "01-Same.ipynb", "2");
        var index = NotebookFiles.WriteCode(NotebookFiles.TempDir(), "index.ipynb", "3");
        var outDir = NotebookFiles.TempDir();
        OutputFolder.Plan([one, two, index], outDir, overwrite: true, out var problems, out _);
        Assert.Contains($"{one} and {two} would both be written as {Path.Combine(outDir, "01-Same")}.ipynb and .html: rename one, or run them into different -o folders", problems);
        Assert.Contains($"{index} would be written as {Path.Combine(outDir, "index.html")}, the index page of the run: rename the notebook", problems);
    }

    [Fact]
    public void A_file_no_run_wrote_needs_overwrite_and_an_unchanged_earlier_output_does_not()
    {
        var (dir, a, _) = TwoNotebooks();
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        var mine = Path.Combine(outDir, "01-a.html");
        File.WriteAllText(mine, "the user's own page");
        OutputFolder.Plan([a], outDir, overwrite: false, out var problems, out _);
        Assert.Equal([$"{mine} exists and no earlier run of speclora notebooks wrote it there (or it changed since): move it, choose another -o folder, or add --overwrite"], problems);
        OutputFolder.Plan([a], outDir, overwrite: true, out problems, out var replacing);
        Assert.Empty(problems);
        Assert.Equal([mine], replacing);

        // a run records what it wrote; the next run replaces it freely, unless it changed since
        var plan = OutputFolder.Plan([a], outDir, overwrite: true, out _, out _);
        foreach (var f in new[] { plan.IpynbPath(a), plan.HtmlPath(a), plan.IndexPath }) { File.WriteAllText(f, "written by the run"); plan.Recorded(f); }
        OutputFolder.Plan([a], outDir, overwrite: false, out problems, out replacing);
        Assert.Empty(problems);
        Assert.Empty(replacing);
        File.AppendAllText(plan.IndexPath, "edited by the user");
        OutputFolder.Plan([a], outDir, overwrite: false, out problems, out _);
        Assert.Equal([$"{plan.IndexPath} exists and no earlier run of speclora notebooks wrote it there (or it changed since): move it, choose another -o folder, or add --overwrite"], problems);
    }

    [Fact]
    public void A_record_that_is_not_ours_is_refused_and_a_folder_in_the_way_too()
    {
        var (dir, a, _) = TwoNotebooks();
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(Path.Combine(outDir, "01-a.html"));
        File.WriteAllText(Path.Combine(outDir, OutputFolder.RecordName), "not json");
        OutputFolder.Plan([a], outDir, overwrite: false, out var problems, out _);
        Assert.Equal(2, problems.Count);
        Assert.StartsWith($"{Path.Combine(outDir, OutputFolder.RecordName)} is not the record speclora notebooks writes (", problems[0]);
        Assert.Equal($"{Path.Combine(outDir, "01-a.html")} is a folder, where the run would write a file: move it, or choose another -o folder", problems[1]);
    }

    [Fact]
    public void Real_path_resolves_links_along_the_way()
    {
        var dir = NotebookFiles.TempDir();
        var target = Directory.CreateDirectory(Path.Combine(dir, "target")).FullName;
        var link = Path.Combine(dir, "link");
        Directory.CreateSymbolicLink(link, "target");
        Assert.Equal(Path.Combine(target, "x", "y.ipynb"), OutputFolder.RealPath(Path.Combine(link, "x", "y.ipynb")));
        var loop = Path.Combine(dir, "loop");
        File.CreateSymbolicLink(loop, loop);
        Assert.EndsWith("loop", OutputFolder.RealPath(loop)); // a loop ends, after 40 links at most
    }
}
