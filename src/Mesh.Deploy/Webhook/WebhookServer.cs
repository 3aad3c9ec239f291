using System.Net;
using Mesh.Deploy.Injection;
using Mesh.Deploy.Manifests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Mesh.Deploy.Webhook;

/// <summary>
/// The injection webhook over HTTPS (Kestrel): POST <see cref="InjectionWebhook.Path"/> takes an AdmissionReview v1 and
/// answers with <see cref="AdmissionHandler"/>. Small enough to host inside the controller process: it owns one
/// Kestrel listener and asks <c>settings</c> for the current injection settings on every request, and
/// <c>certificate</c> for the serving certificate on every TLS handshake.
/// </summary>
internal sealed class WebhookServer : IAsyncDisposable
{
    /// <summary>AdmissionReviews carry one pod; anything much larger is not one.</summary>
    private const long MaxRequestBytes = 4 * 1024 * 1024;

    private readonly WebApplication _app;

    private WebhookServer(WebApplication app) => _app = app;

    /// <summary>The address it listens on (the real port when started on port 0).</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.None, 0);

    public static async Task<WebhookServer> StartAsync(
        IPEndPoint endpoint, ServingCertificate certificate, Func<InjectionSettings> settings, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        // Not the working directory as content root: a process does not always choose it, nor may it enter it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                // Asked on every handshake, so a reloaded pair is presented from the next connection on.
                listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificate.Current });
            });
        });
        var app = builder.Build();
        var log = loggerFactory.CreateLogger<WebhookServer>();
        app.MapPost(InjectionWebhook.Path, (HttpContext context) => HandleAsync(context, settings, log));
        await app.StartAsync(ct);
        var server = new WebhookServer(app);
        server.Endpoint = ListeningEndpoint(app, endpoint);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, Func<InjectionSettings> settings, ILogger log)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        AdmissionReview? review;
        try
        {
            review = AdmissionHandler.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (System.Text.Json.JsonException e)
        {
            review = null;
            log.NotAReview(e.Message);
        }
        if (review?.Request is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected an admission.k8s.io/v1 AdmissionReview with a request", context.RequestAborted);
            return;
        }

        var answer = AdmissionHandler.Handle(review, settings());
        if (answer.Response is { Allowed: false, Status: { } status })
        {
            log.Refused(status.Message);
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(AdmissionHandler.Serialize(answer), context.RequestAborted);
    }

    private static IPEndPoint ListeningEndpoint(WebApplication app, IPEndPoint requested)
    {
        if (requested.Port != 0) return requested;
        var address = app.Urls.Select(u => new Uri(u)).First();
        return new IPEndPoint(requested.Address, address.Port);
    }
}
