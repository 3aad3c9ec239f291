using System.Net;
using Akka.Actor;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Mesh.Control;
using Mesh.Policy.Model;
using Mesh.Policy.State;
using Mesh.Proxy;
using Mesh.Tests.Shared;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Cli.Tests.Hosting;

/// <summary>
/// `mesh run` is both roles in one process: when its control side fails for good, the proxy side keeps enforcing the
/// last snapshot and stays ready (fail static), and the process keeps serving rather than exit.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit calls IAsyncLifetime.DisposeAsync, which disposes them.")]
[Collection("process state")] // its actor system logs to the console, which other tests redirect
public sealed class AllInOneFailStaticTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly ActorSystem _system = ActorSystem.Create("mesh-run-test", MeshTestKit.BuildConfig());
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private AllInOneNode? _node;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
        await _system.Terminate();
        _dir.Dispose();
    }

    [Fact]
    public async Task When_the_control_plane_gives_up_the_proxy_keeps_its_snapshot_stays_ready_and_the_process_serves()
    {
        _dir.Write("a.yaml", Egress("a", "curl/a", 443));
        var admin = new IPEndPoint(IPAddress.Loopback, FreePorts.Tcp());
        var settings = new MeshSettings(ServiceAccountIdentity.Parse("curl/a"), LogLevel.Information,
            new ControlPlaneOptions
            {
                ManifestDirectory = _dir.Path,
                Restarts = new RestartPolicy { MaxRestarts = 2, Window = TimeSpan.FromMinutes(1) },
                // Every incarnation of the aggregator fails on this object: a bug that no restart cures.
                Hooks = new ControlPlaneHooks { BeforeApply = c => { if (c is ResourceChange.Upserted { Resource.Key.Name: "poison" }) throw new InvalidOperationException("injected"); } },
            },
            new ProxyOptions { OutboundPort = FreePorts.Tcp(), AdminEndpoint = admin }, "none", InlineSocketCompletions: false, SocketEngineThreads: 0);
        _node = new AllInOneNode(settings, _system, Metrics.NewCustomRegistry(), _logs, _lifetime);
        await _node.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{admin}") };
        // The first snapshot is on its way when StartAsync returns: /config_dump answers 503 until it is applied.
        var before = "";
        await Eventually.TrueAsync(async () =>
        {
            using var dump = await http.GetAsync(new Uri("/config_dump", UriKind.Relative));
            before = dump.IsSuccessStatusCode ? await dump.Content.ReadAsStringAsync() : "";
            return before.Length > 0;
        }, TimeSpan.FromSeconds(10));

        _dir.Write("poison.yaml", Egress("poison", "curl/a", 80));

        await Eventually.TrueAsync(() => _logs.Entries.Any(e => e.Message.Contains("the control plane stopped", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));
        using var ready = await http.GetAsync(new Uri("/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(ConfigWithoutProxySection(before), ConfigWithoutProxySection(await http.GetStringAsync(new Uri("/config_dump", UriKind.Relative))));
        Assert.False(_lifetime.ApplicationStopping.IsCancellationRequested);
    }

    /// <summary>The snapshot part of the dump (the Proxy section has its age, which moves).</summary>
    private static string ConfigWithoutProxySection(string dump) => dump[..dump.IndexOf("\"Proxy\"", StringComparison.Ordinal)];
}
