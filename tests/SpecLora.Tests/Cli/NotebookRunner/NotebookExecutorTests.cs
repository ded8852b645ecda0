using System.Text.Json.Nodes;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Notebook;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class NotebookExecutorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static JsonArray Outputs(NotebookRunResult r, int cellIndex) => (JsonArray)r.Executed.Cells[cellIndex - 1].Json["outputs"]!;

    private static string Text(JsonNode? node) => NotebookDocument.JoinSource(node);

    private static async Task<NotebookRunResult> Run(params string[] code)
        => await NotebookExecutor.RunAsync(NotebookFiles.WriteCode(NotebookFiles.TempDir(), "t.ipynb", code), Timeout);

    [Fact]
    public async Task State_carries_over_cells_and_the_trailing_expression_becomes_execute_result()
    {
        var r = await Run("var x = 41;", "int Twice(int v) => 2 * v;", "Twice(x + 1)", "string s = null;\ns");
        Assert.True(r.Passed, r.Error);
        var result = Assert.Single(Outputs(r, 6));
        Assert.Equal("execute_result", (string?)result!["output_type"]);
        Assert.Equal(3, (int?)result["execution_count"]);
        Assert.Equal("84", Text(result["data"]!["text/plain"]));
        Assert.Empty(Outputs(r, 2));
        Assert.Equal(1, (int?)r.Executed.Cells[1].Json["execution_count"]);
        Assert.Equal("<null>", Text(Assert.Single(Outputs(r, 8))!["data"]!["text/plain"])); // a trailing null shows, as in the kernel
    }

    [Fact]
    public async Task Console_output_display_and_HTML_are_captured_per_cell_in_order()
    {
        var r = await Run("Console.WriteLine(\"one\");", "Console.Write(\"a\"); display(HTML(\"<b>x</b>\")); Console.WriteLine(\"b\"); var h = display(1); h.Update(2);");
        Assert.True(r.Passed, r.Error);
        Assert.Equal("one\n", Text(Assert.Single(Outputs(r, 2))!["text"]));
        var o = Outputs(r, 4);
        Assert.Equal(["stream", "display_data", "stream", "display_data"], o.Select(x => (string)x!["output_type"]!).ToArray());
        Assert.Equal("<b>x</b>", Text(o[1]!["data"]!["text/html"]));
        Assert.Equal("b\n", Text(o[2]!["text"]));
        Assert.Equal("2", Text(o[3]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_failing_cell_is_named_and_stops_the_notebook()
    {
        var compile = await Run("var a = 1;", "int b = \"no\";", "Console.WriteLine(\"never\");");
        Assert.False(compile.Passed);
        Assert.Equal(4, compile.FailedCell);
        Assert.StartsWith("t.ipynb: cell 4: compilation failed: (1,9) CS0029", compile.Error);
        Assert.Equal("error", (string?)Outputs(compile, 4)[0]!["output_type"]);
        Assert.Null(compile.Executed.Cells[5].Json["execution_count"]?.GetValue<int?>());

        var runtime = await Run("throw new InvalidOperationException(\"boom\");");
        Assert.Equal("t.ipynb: cell 2: runtime error: InvalidOperationException: boom", runtime.Error);
    }

    [Theory]
    [InlineData("#r \"nuget: NWaves, 0.9.6\"", "#r \"nuget:")]
    [InlineData("#!time\nvar x = 1;", "magic command #!time")]
    [InlineData("#i \"nuget: /tmp/feed\"", "#i")]
    public async Task Nuget_references_magics_and_include_are_rejected_with_the_cell_number(string code, string expected)
    {
        var r = await Run("var ok = 1;", code);
        Assert.False(r.Passed);
        Assert.StartsWith("t.ipynb: cell 4: unsupported syntax: ", r.Error);
        Assert.Contains(expected, r.Error);
    }

    [Fact]
    public async Task Hash_r_of_the_library_path_binds_to_the_runners_own_assembly()
    {
        // notebooks/x.ipynb with ../lib/SpecLora/bin/Release/net10.0/SpecLora.dll present (a copy of the build)
        var root = NotebookFiles.TempDir();
        var libDir = Path.Combine(root, "lib", "SpecLora", "bin", "Release", "net10.0");
        Directory.CreateDirectory(libDir);
        File.Copy(typeof(AudioView).Assembly.Location, Path.Combine(libDir, "SpecLora.dll"));
        var path = NotebookFiles.WriteCode(Path.Combine(root, "notebooks"), "x.ipynb",
            NotebookConventions.FirstCell,
            "var view = Show.Audio(new float[800], 8000);\nSystem.Runtime.Loader.AssemblyLoadContext.GetLoadContext(view.GetType().Assembly)!.Name + \"|\" + view.GetType().Assembly.Location",
            "view");
        var r = await NotebookExecutor.RunAsync(path, Timeout);
        Assert.True(r.Passed, r.Error);
        Assert.Equal("Default|" + typeof(AudioView).Assembly.Location, Text(Outputs(r, 4)[0]!["data"]!["text/plain"]));
        // the runner recognised the notebook's AudioView as its own type, so it rendered HTML
        Assert.Contains("<audio controls", Text(Outputs(r, 6)[0]!["data"]!["text/html"]));
    }

    [Fact]
    public async Task Working_directory_is_the_notebooks_folder_during_the_run_and_restored_after()
    {
        var before = Environment.CurrentDirectory;
        var dir = NotebookFiles.TempDir();
        File.WriteAllText(Path.Combine(dir, "data.txt"), "hello");
        var r = await NotebookExecutor.RunAsync(NotebookFiles.WriteCode(dir, "w.ipynb", "System.IO.File.ReadAllText(\"data.txt\")"), Timeout);
        Assert.True(r.Passed, r.Error);
        Assert.Equal("hello", Text(Outputs(r, 2)[0]!["data"]!["text/plain"]));
        Assert.Equal(before, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task A_notebook_over_its_time_limit_fails_naming_the_cell()
    {
        var path = NotebookFiles.WriteCode(NotebookFiles.TempDir(), "slow.ipynb", "var a = 1;", "System.Threading.Thread.Sleep(5000);");
        var r = await NotebookExecutor.RunAsync(path, TimeSpan.FromSeconds(1.5));
        Assert.False(r.Passed);
        Assert.StartsWith("slow.ipynb: cell 4: timed out", r.Error);
    }

    [Fact]
    public async Task The_Replicate_token_is_scrubbed_from_every_output_of_the_executed_notebook_and_page()
    {
        const string fake = "r8_FakeTokenForScrubTest0123456789abcdefgh";
        var saved = Environment.GetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable);
        try
        {
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, fake);
            var dir = NotebookFiles.TempDir();
            var path = NotebookFiles.WriteCode(dir, "s.ipynb",
                $"#r \"{typeof(SpecLora.Replicate.ReplicateClientOptions).Assembly.Location}\"",
                "Console.WriteLine(Environment.GetEnvironmentVariable(\"REPLICATE_API_TOKEN\"));",
                "display(SpecLora.Replicate.ReplicateClientOptions.FromEnvironment());\ndisplay(SpecLora.Replicate.ReplicateClientOptions.FromEnvironment().ApiToken);",
                "SpecLora.Replicate.ReplicateClientOptions.FromEnvironment()",
                "throw new InvalidOperationException(\"token is \" + Environment.GetEnvironmentVariable(\"REPLICATE_API_TOKEN\"));");
            var r = await NotebookExecutor.RunAsync(path, Timeout);
            Assert.Equal(10, r.FailedCell); // the throwing cell ran: every other output was captured
            Assert.Equal("s.ipynb: cell 10: runtime error: InvalidOperationException: token is ***", r.Error);
            Assert.Equal("***\n", Text(Outputs(r, 4)[0]!["text"]));
            Assert.Contains("ApiToken = ***", Text(Outputs(r, 6)[0]!["data"]!["text/plain"]));
            Assert.Contains("ApiToken = ***", Text(Outputs(r, 6)[0]!["data"]!["text/html"]));
            Assert.Equal("***", Text(Outputs(r, 6)[1]!["data"]!["text/plain"]));
            Assert.Contains("ApiToken = ***", Text(Outputs(r, 8)[0]!["data"]!["text/plain"]));

            var ipynb = Path.Combine(dir, "out.ipynb");
            r.Executed.Save(ipynb);
            var text = File.ReadAllText(ipynb);
            Assert.Contains("token is ***", text);
            Assert.DoesNotContain(fake, text);
            var page = NotebookHtmlWriter.RenderPage(r);
            Assert.Contains("token is ***", page);
            Assert.DoesNotContain(fake, page);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, saved);
        }
    }

    [Fact]
    public void Short_or_unset_tokens_are_not_scrubbed()
    {
        var saved = Environment.GetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable);
        try
        {
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, "abc");
            Assert.Equal("abcdef", CellOutputs.ScrubSecrets("abcdef")); // under 8 characters: would mangle ordinary text
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, null);
            Assert.Equal("abcdef", CellOutputs.ScrubSecrets("abcdef"));
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, "abcdefgh");
            Assert.Equal("x *** y", CellOutputs.ScrubSecrets("x abcdefgh y"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, saved);
        }
    }

    [Fact]
    public async Task Logs_one_line_per_cell()
    {
        var log = new StringWriter();
        await NotebookExecutor.RunAsync(NotebookFiles.WriteCode(NotebookFiles.TempDir(), "l.ipynb", "1", "2"), Timeout, log);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("l.ipynb: cell 2 (1/2 code) ok", lines[0]);
    }
}
