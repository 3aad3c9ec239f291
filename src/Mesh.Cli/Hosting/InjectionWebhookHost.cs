using Mesh.Cli.Configuration;
using Mesh.Control;
using Mesh.Deploy.Injection;
using Mesh.Deploy.Values;
using Mesh.Deploy.Webhook;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Hosting;

/// <summary>
/// The sidecar injection webhook inside a controller: what to inject comes from the install values, and the mesh-wide
/// interception exclusions from the MeshConfig the control plane holds now (refreshed every second, so a
/// <c>kubectl patch meshconfig</c> reaches the pods created after it). The serving certificate's files are read again
/// every <see cref="CertificateRefresh"/>: a re-install's new pair reaches the mounted Secret without a restart.
/// </summary>
internal sealed class InjectionWebhookHost : IAsyncDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    /// <summary>The kubelet takes a minute or more to swap a changed Secret's files in; a few seconds more is nothing.</summary>
    private static readonly TimeSpan CertificateRefresh = TimeSpan.FromSeconds(5);

    private readonly WebhookServer _server;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _refreshing;

    private InjectionWebhookHost(WebhookServer server, CancellationTokenSource stopping, Task refreshing)
    {
        _server = server;
        _stopping = stopping;
        _refreshing = refreshing;
    }

    public static async Task<InjectionWebhookHost> StartAsync(WebhookSettings settings, ControlPlane control, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var values = ValuesFile.Read(await File.ReadAllTextAsync(settings.InstallValuesFile, cancellationToken), settings.InstallValuesFile);
        var certificate = ServingCertificate.Load(settings.CertificateFile, settings.KeyFile);
        var current = InjectionSettings.From(values);
        var stopping = new CancellationTokenSource();
        var server = await WebhookServer.StartAsync(settings.Endpoint, certificate, () => Volatile.Read(ref current), loggerFactory, cancellationToken);
        var log = loggerFactory.CreateLogger<InjectionWebhookHost>();
        var refreshing = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Refresh);
            var certificateRead = DateTime.UtcNow;
            try
            {
                do
                {
                    try
                    {
                        if ((await control.GetStatusAsync(stopping.Token)).Applied is { } state)
                        {
                            Volatile.Write(ref current, new InjectionSettings(values, MeshTraffic.From(state.MeshConfig)));
                        }
                    }
                    catch (Akka.Actor.AskTimeoutException)
                    {
                        // the control plane did not answer this time: the last settings stay, and the certificate is
                        // still read again below
                    }
                    if (DateTime.UtcNow - certificateRead >= CertificateRefresh)
                    {
                        certificateRead = DateTime.UtcNow;
                        log.Refreshed(certificate.Refresh());
                    }
                }
                while (await timer.WaitForNextTickAsync(stopping.Token));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // stopping
            }
        }, CancellationToken.None);
        return new InjectionWebhookHost(server, stopping, refreshing);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _refreshing;
        }
        finally
        {
            await _server.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
