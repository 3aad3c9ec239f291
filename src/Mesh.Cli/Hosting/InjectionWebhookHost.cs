using Mesh.Cli.Configuration;
using Mesh.Control;
using Mesh.Deploy.Injection;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Values;
using Mesh.Deploy.Webhook;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Hosting;

/// <summary>
/// The sidecar injection webhook inside a controller: what to inject comes from the install values, and the mesh-wide
/// interception exclusions from the MeshConfig the control plane holds now (refreshed every second, so a
/// <c>kubectl patch meshconfig</c> reaches the pods created after it).
/// </summary>
internal sealed class InjectionWebhookHost : IAsyncDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
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
        var tls = new WebhookTlsMaterial("", await File.ReadAllTextAsync(settings.CertificateFile, cancellationToken),
            await File.ReadAllTextAsync(settings.KeyFile, cancellationToken));
        var current = InjectionSettings.From(values);
        var stopping = new CancellationTokenSource();
        var server = await WebhookServer.StartAsync(settings.Endpoint, tls, () => Volatile.Read(ref current), loggerFactory, cancellationToken);
        var refreshing = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Refresh);
            try
            {
                do
                {
                    if ((await control.GetStatusAsync(stopping.Token)).Applied is { } state)
                    {
                        Volatile.Write(ref current, new InjectionSettings(values, MeshTraffic.From(state.MeshConfig)));
                    }
                }
                while (await timer.WaitForNextTickAsync(stopping.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or Akka.Actor.AskTimeoutException)
            {
                // stopping, or the control plane is gone: the last settings stay
            }
        }, CancellationToken.None);
        return new InjectionWebhookHost(server, stopping, refreshing);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refreshing;
        await _server.DisposeAsync();
        _stopping.Dispose();
    }
}
