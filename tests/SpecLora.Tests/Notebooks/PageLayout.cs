using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Tests.Notebooks;

/// <summary>
/// Lays a page out in headless Chromium at a reader's width and reports what looks wrong: a row of views
/// (<c>Show.Row</c>) that wrapped (a picture under the one it should sit beside, a caption on a line of its own), an
/// output, printed line or notice wider than its box, a chart legend on the data. A copy of the page beside it gets a
/// script that measures after every picture has loaded and writes its findings into the DOM (<c>--dump-dom</c>); the
/// page itself stays script-free. Network requests go to a dead proxy.
/// </summary>
internal static partial class PageLayout
{
    /// <summary>The window width the pages are laid out at (a laptop's browser window; the page body is at most 1100 px).</summary>
    public const int WindowWidth = 1100;

    private const string Script = """
        <script>window.addEventListener('load',function(){setTimeout(function(){
        var res=[];function txt(e){return (e.textContent||'').replace(/\s+/g,' ').trim().slice(0,70);}
        document.querySelectorAll('.speclora-row').forEach(function(r,i){var k=Array.prototype.slice.call(r.children);if(k.length<2)return;
          var t=k[0].getBoundingClientRect().top;k.forEach(function(c){var d=c.getBoundingClientRect().top-t;if(Math.abs(d)>2)res.push('a row wraps: "'+txt(c)+'" sits '+Math.round(d)+' px below its row');});});
        document.querySelectorAll('.out, .out pre, .speclora-notice').forEach(function(e){if(e.scrollWidth>e.clientWidth+1)res.push('wider than its box by '+(e.scrollWidth-e.clientWidth)+' px: "'+txt(e)+'"');});
        document.querySelectorAll('svg').forEach(function(s){var p=s.querySelector('.plot-area'),l=s.querySelector('.legend');if(!p||!l)return;
          var a=p.getBoundingClientRect(),b=l.getBoundingClientRect();if(b.left<a.right&&b.right>a.left&&b.top<a.bottom&&b.bottom>a.top)res.push('a legend on the data: "'+txt(l)+'"');});
        var pre=document.createElement('pre');pre.id='speclora-layout';pre.textContent=JSON.stringify(res);document.body.appendChild(pre);},50);});</script>
        """;

    /// <summary>The layout problems of the page at <paramref name="htmlPath"/> (empty when it looks right).</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(string htmlPath, string chromium, TimeSpan timeout)
    {
        htmlPath = Path.GetFullPath(htmlPath);
        var copy = Path.Combine(Path.GetDirectoryName(htmlPath)!, ".layout-" + Guid.NewGuid().ToString("N")[..8] + ".html");
        var profile = Directory.CreateTempSubdirectory("speclora-layout-");
        try
        {
            var html = await File.ReadAllTextAsync(htmlPath);
            html = html.Replace("<meta http-equiv=\"Content-Security-Policy\" content=\"" + NotebookHtmlWriter.ContentSecurityPolicy + "\"/>", "", StringComparison.Ordinal);
            var body = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
            await File.WriteAllTextAsync(copy, body >= 0 ? html.Insert(body, Script) : html + Script);
            var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
                         $"--window-size={WindowWidth},1000", "--virtual-time-budget=20000", "--proxy-server=http://127.0.0.1:9",
                         "--proxy-bypass-list=<-loopback>", $"--user-data-dir={profile.FullName}", "--dump-dom", new Uri(copy).AbsoluteUri })
                psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return [$"{Path.GetFileName(htmlPath)}: chromium did not finish within {timeout.TotalSeconds:0} s"];
            }
            var match = Result().Match(await stdout);
            if (!match.Success) return [$"{Path.GetFileName(htmlPath)}: the layout script reported nothing ({(await stderr).Trim().Split('\n').LastOrDefault()})"];
            return JsonSerializer.Deserialize<string[]>(WebUtility.HtmlDecode(match.Groups[1].Value))!.Select(p => $"{Path.GetFileName(htmlPath)}: {p}").ToList();
        }
        finally
        {
            try { File.Delete(copy); } catch (IOException) { }
            try { profile.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [GeneratedRegex("<pre id=\"speclora-layout\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex Result();
}
