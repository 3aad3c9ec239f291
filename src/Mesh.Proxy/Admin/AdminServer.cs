using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mesh.Proxy.Admin;

/// <summary>What the admin endpoints show; each role of a process (proxy, controller, both) fills it in.</summary>
/// <param name="Ready">200 with the text, or 503 with the reason (readiness probes read it).</param>
/// <param name="ConfigDump">The JSON at <c>/config_dump</c>, or null while there is none (503).</param>
/// <param name="Metrics">The registry rendered at <c>/metrics</c>.</param>
public sealed record AdminContent(Func<Task<(bool Ready, string Text)>> Ready, Func<Task<string?>> ConfigDump, CollectorRegistry Metrics);

/// <summary>
/// The admin listener (default 127.0.0.1:15000): <c>/ready</c>, <c>/config_dump</c>, <c>/metrics</c> (Prometheus
/// text). Kestrel from the shared framework; nothing else.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminServer(WebApplication app) => _app = app;

    public static async Task<AdminServer> StartAsync(AdminContent content, IPEndPoint endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        // The content root defaults to the working directory, which a sidecar does not choose and may not be able to
        // enter (uid 1500 started from a private directory): the admin listener serves no files, so pin it to the app.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        app.MapGet("/ready", async () =>
        {
            var (ready, text) = await content.Ready();
            return Results.Text(text + "\n", statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/config_dump", async () => await content.ConfigDump() is { } json
            ? Results.Text(json, "application/json")
            : Results.Text("{}", "application/json", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await content.Metrics.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        });
        await app.StartAsync(ct);
        return new AdminServer(app);
    }

    /// <summary>A proxy's readiness and configuration: ready once its snapshot is applied, the snapshot's JSON form.</summary>
    public static AdminContent ForProxy(ProxyNode node, CollectorRegistry metrics)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new AdminContent(
            () => Task.FromResult(node.Snapshot is { } s ? (true, $"ready {s.Version}") : (false, "no snapshot yet: refusing all egress")),
            () => Task.FromResult(ProxyConfigDump.Render(node.View)),
            metrics);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
