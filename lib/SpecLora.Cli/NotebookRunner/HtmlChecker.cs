using SpecLora.IO;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>What headless Chromium saw on one page.</summary>
/// <param name="Page">The checked HTML file.</param>
/// <param name="Images">Number of images (<c>img</c> and SVG <c>image</c>).</param>
/// <param name="Audio">Number of <c>audio</c> elements.</param>
/// <param name="Problems">Images that did not decode, audio without a positive duration, console errors; or why the check could not run.</param>
/// <param name="Notes">Scripts that could not load, which do not count as problems: our pages have none, and a page
/// converted by <c>jupyter nbconvert</c> carries the kernel's bootstrap script, which looks for the (long gone)
/// kernel's HTTP port and, offline, for require.js on a CDN.</param>
public sealed record HtmlCheckResult(string Page, int Images, int Audio, IReadOnlyList<string> Problems, IReadOnlyList<string>? Notes = null)
{
    /// <summary>True when there were no problems.</summary>
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Opens pages in headless Chromium and checks that every image decodes (naturalWidth &gt; 0), every audio element
/// loads with a duration &gt; 0 and nothing is logged as an error. A copy of the page gets a checker script (error
/// hooks first in &lt;head&gt;, the checks at the end of &lt;body&gt;) that writes its findings as JSON into the DOM, which
/// <c>--dump-dom</c> prints; the page itself stays script-free. Chromium gets a dead proxy (127.0.0.1:9) for every
/// request, loopback included, so a page's scripts (the kernel's bootstrap probes the machine's addresses) send
/// nothing anywhere; data: and file: URLs still load.
/// </summary>
public static partial class HtmlChecker
{
    private const string ResultId = "speclora-check-result";

    private const string HeadScript = """
        <script>(function(){var e=window.__speclora_errors=[];var ce=console.error;
        console.error=function(){e.push('console.error: '+Array.prototype.map.call(arguments,String).join(' '));ce.apply(console,arguments);};
        window.addEventListener('error',function(ev){var t=ev.target;if(t&&t!==window&&t.tagName){e.push('failed to load '+t.tagName.toLowerCase()+' '+String(t.currentSrc||t.src||t.href||'').slice(0,80));}else{e.push('error: '+ev.message);}},true);
        window.addEventListener('unhandledrejection',function(ev){e.push('unhandled rejection: '+ev.reason);});})();</script>
        """;

    private const string BodyScript = """
        <script>(async function(){
        function wait(el,ok,bad,ms){return new Promise(function(r){var t=setTimeout(r,ms);el.addEventListener(ok,function(){clearTimeout(t);r();});el.addEventListener(bad,function(){clearTimeout(t);r();});});}
        var res={images:0,audio:0,problems:[]};
        var imgs=Array.prototype.slice.call(document.images);
        await Promise.all(imgs.map(function(im){return im.complete?Promise.resolve():wait(im,'load','error',10000);}));
        imgs.forEach(function(im,i){res.images++;if(!(im.naturalWidth>0))res.problems.push('image '+(i+1)+' ('+(im.alt||'no alt')+') did not decode');});
        var svgs=Array.prototype.slice.call(document.querySelectorAll('svg image'));
        for(var i=0;i<svgs.length;i++){res.images++;var im=new Image();im.src=svgs[i].getAttribute('href')||svgs[i].getAttribute('xlink:href')||'';
          try{await im.decode();}catch(x){}if(!(im.naturalWidth>0))res.problems.push('svg image '+(i+1)+' did not decode');}
        var auds=Array.prototype.slice.call(document.querySelectorAll('audio'));
        await Promise.all(auds.map(function(a){if(a.readyState>=1)return Promise.resolve();var p=wait(a,'loadedmetadata','error',15000);a.preload='auto';a.load();return p;}));
        auds.forEach(function(a,i){res.audio++;if(!(a.duration>0&&isFinite(a.duration)))res.problems.push('audio '+(i+1)+' did not load (duration '+a.duration+(a.error?', media error '+a.error.code:'')+')');});
        window.__speclora_errors.forEach(function(m){res.problems.push(m);});
        var pre=document.createElement('pre');pre.id='RESULT_ID';pre.textContent=JSON.stringify(res);document.body.appendChild(pre);
        })();</script>
        """;

    /// <summary>The Chromium binary: <c>SPECLORA_CHROMIUM</c>, else /usr/bin/chromium or chromium-browser; null when absent.</summary>
    public static string? FindChromium()
    {
        var env = Environment.GetEnvironmentVariable("SPECLORA_CHROMIUM");
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>"2 images, 1 audio element, ok" or "… 1 problem".</summary>
    public static string Summary(HtmlCheckResult check)
        => $"{Words.Count(check.Images, "image")}, {Words.Count(check.Audio, "audio element")}, {(check.Ok ? "ok" : Words.Count(check.Problems.Count, "problem"))}";

    /// <summary>The page with the checker script injected (exposed for tests); our pages' policy against scripts is taken
    /// out of the copy, or it would stop the checker too.</summary>
    public static string Instrument(string html)
    {
        html = html.Replace("<meta http-equiv=\"Content-Security-Policy\" content=\"" + NotebookHtmlWriter.ContentSecurityPolicy + "\"/>", "", StringComparison.Ordinal);
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        html = head >= 0 ? html.Insert(head + "<head>".Length, HeadScript) : HeadScript + html;
        var body = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        var script = BodyScript.Replace("RESULT_ID", ResultId);
        return body >= 0 ? html.Insert(body, script) : html + script;
    }

    /// <summary>Checks one page with <paramref name="chromium"/>.</summary>
    public static async Task<HtmlCheckResult> CheckAsync(string htmlPath, string chromium, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        htmlPath = Path.GetFullPath(htmlPath);
        var work = Directory.CreateTempSubdirectory("speclora-chromium-");
        try
        {
            // the copy sits beside the original so relative links behave the same
            var copy = Path.Combine(Path.GetDirectoryName(htmlPath)!, ".check-" + Guid.NewGuid().ToString("N")[..8] + ".html");
            await File.WriteAllTextAsync(copy, Instrument(await File.ReadAllTextAsync(htmlPath, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            try
            {
                var psi = new ProcessStartInfo(chromium)
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--mute-audio",
                             "--autoplay-policy=no-user-gesture-required", "--virtual-time-budget=30000",
                             "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                             $"--user-data-dir={work.FullName}", "--dump-dom", new Uri(copy).AbsoluteUri })
                    psi.ArgumentList.Add(arg);
                using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {chromium}");
                var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(90));
                try { await process.WaitForExitAsync(cts.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    process.Kill(entireProcessTree: true);
                    return new HtmlCheckResult(htmlPath, 0, 0, [$"chromium did not finish within {(timeout ?? TimeSpan.FromSeconds(90)).TotalSeconds:0} s"]);
                }
                var dom = await stdout.ConfigureAwait(false);
                var err = await stderr.ConfigureAwait(false);
                var match = ResultPattern().Match(dom);
                if (!match.Success)
                    return new HtmlCheckResult(htmlPath, 0, 0, [$"the checker script reported nothing (chromium exit {process.ExitCode}): {LastLines(err)}"]);
                using var json = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
                var all = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString() ?? "").ToList();
                var notes = all.Where(p => p.StartsWith("failed to load script", StringComparison.Ordinal)).ToList();
                return new HtmlCheckResult(htmlPath, json.RootElement.GetProperty("images").GetInt32(), json.RootElement.GetProperty("audio").GetInt32(),
                    all.Except(notes).ToList(), notes);
            }
            finally
            {
                try { File.Delete(copy); } catch (IOException) { }
            }
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string LastLines(string text)
        => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));

    [GeneratedRegex("<pre id=\"" + ResultId + "\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ResultPattern();
}
