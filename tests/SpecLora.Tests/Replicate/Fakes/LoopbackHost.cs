using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace SpecLora.Tests.Replicate.Fakes;

/// <summary>Starts a Kestrel app on 127.0.0.1 with a free port (the fakes' shared start-up; nothing leaves the machine).</summary>
internal static class LoopbackHost
{
    /// <summary>Builds the app, lets <paramref name="map"/> add its routes, starts it and returns it with its root URL.</summary>
    public static async Task<(WebApplication App, Uri Root)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }
}
