using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Mesh.Cli.Hosting;

/// <summary>
/// Stops the host on SIGTERM (kubelet, kill), SIGINT (Ctrl-C) and SIGHUP (a closed terminal or session, whose default
/// would end the process without a word), and remembers which one, so the process says why it stops.
/// </summary>
internal sealed class SignalLifetime(IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>The signal that stopped the host, or null.</summary>
    public string? StopSignal { get; private set; }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // stop in order instead of dying
                StopSignal ??= context.Signal.ToString();
                lifetime.StopApplication();
            }));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
