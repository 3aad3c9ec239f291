using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Admin;

/// <summary>
/// The admin listener (default 127.0.0.1:15000): <c>/ready</c> (200 once a snapshot is applied), <c>/config_dump</c>
/// (the snapshot's JSON form), <c>/metrics</c> (Prometheus text). Kestrel from the shared framework; nothing else.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminServer(WebApplication app) => _app = app;

    /// <param name="moreMetrics">Prometheus text of the process's other parts (the in-process control plane), appended to /metrics.</param>
    public static async Task<AdminServer> StartAsync(ProxyNode node, IPEndPoint endpoint, CancellationToken ct, Func<string>? moreMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        // The content root defaults to the working directory, which a sidecar does not choose and may not be able to
        // enter (uid 1500 started from a private directory): the admin listener serves no files, so pin it to the app.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        app.MapGet("/ready", () => node.IsReady
            ? Results.Text($"ready {node.Snapshot!.Version}\n")
            : Results.Text("no snapshot yet: refusing all egress\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/config_dump", () => node.Snapshot is { } s
            ? Results.Text(s.Json, "application/json")
            : Results.Text("{}", "application/json", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", () => Results.Text(node.Metrics.Render(DateTimeOffset.UtcNow) + moreMetrics?.Invoke(), "text/plain; version=0.0.4"));
        await app.StartAsync(ct);
        return new AdminServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
