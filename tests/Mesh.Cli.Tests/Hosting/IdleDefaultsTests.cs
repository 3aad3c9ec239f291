using Akka.Actor;
using Mesh.Cli.Commands;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Mesh.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Tests.Hosting;

/// <summary>
/// What the long-running commands give Akka under the user's configuration, as their hosts build the actor system:
/// a 100 ms scheduler tick for every one of them, and for a controller fewer remote heartbeats and acknowledgements;
/// a setting in the user's file wins over each.
/// </summary>
[Collection("process state")] // the actor systems its hosts make log to the console, which other tests redirect
public sealed class IdleDefaultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-idle-defaults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Mesh_run_ticks_every_100_ms()
    {
        // The role `mesh run` gives its host, as the command builds it.
        var configuration = MeshConfiguration.Build(null, new Dictionary<string, string?> { ["mesh:identity"] = "curl/curl", ["mesh:control:manifests"] = _dir });
        var config = await AkkaConfigOf(configuration, RunCommand.Role(MeshSettings.Read(configuration.Settings)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.GetTimeSpan("akka.scheduler.tick-duration"));
    }

    [Fact]
    public async Task A_controller_ticks_every_100_ms_and_heartbeats_and_acknowledges_less_often()
    {
        // The role `mesh controller` gives its host, as the command builds it (joining no one).
        var configuration = MeshConfiguration.Build(null, new Dictionary<string, string?>
        {
            ["mesh:control:manifests"] = _dir,
            ["akka:remote:dot-netty:tcp:port"] = FreePorts.Tcp().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var role = ControllerCommand.Role(ControllerSettings.Read(configuration.Settings), "akka.actor.provider = cluster\n");
        var config = await AkkaConfigOf(configuration, role);
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.GetTimeSpan("akka.scheduler.tick-duration"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("akka.remote.watch-failure-detector.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromSeconds(20), config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause"));
        var piggyback = config.GetTimeSpan("akka.remote.system-message-ack-piggyback-timeout");
        Assert.Equal(TimeSpan.FromSeconds(1), piggyback);
        // A lone acknowledgement leaves within 1.5 piggyback timeouts (checked every half one), before the sender resends.
        var resend = config.WithFallback(Akka.Configuration.ConfigurationFactory.FromResource<Akka.Remote.RemoteSettings>("Akka.Remote.Configuration.Remote.conf")).GetTimeSpan("akka.remote.resend-interval");
        Assert.True(piggyback * 1.5 < resend, $"resend-interval {resend}");
    }

    [Fact]
    public async Task A_user_file_wins_over_every_default()
    {
        var file = Path.Combine(_dir, "mesh.conf");
        await File.WriteAllTextAsync(file, """
            akka.scheduler.tick-duration = 10ms
            akka.remote.watch-failure-detector.heartbeat-interval = 1s
            akka.remote.system-message-ack-piggyback-timeout = 300ms
            """);
        var config = await AkkaConfigOf(ControllerCommand.ControllerDefaults, file);
        Assert.Equal(TimeSpan.FromMilliseconds(10), config.GetTimeSpan("akka.scheduler.tick-duration"));
        Assert.Equal(TimeSpan.FromSeconds(1), config.GetTimeSpan("akka.remote.watch-failure-detector.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(300), config.GetTimeSpan("akka.remote.system-message-ack-piggyback-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(20), config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause")); // not set: the default
    }

    /// <summary>The configuration of the actor system a command's host makes with <paramref name="defaults"/>.</summary>
    private static Task<Akka.Configuration.Config> AkkaConfigOf(string defaults, string? userFile) =>
        AkkaConfigOf(MeshConfiguration.Build(userFile, new Dictionary<string, string?>()), new HostedRole(LogLevel.Warning, "", _ => { }, defaults));

    /// <summary>The configuration of the actor system a host makes for <paramref name="role"/> (not started).</summary>
    private static async Task<Akka.Configuration.Config> AkkaConfigOf(MeshConfiguration configuration, HostedRole role)
    {
        var builder = MeshHost.Create(configuration, role);
        await using var services = builder.Services.BuildServiceProvider();
        var system = services.GetRequiredService<ActorSystem>(); // Akka.Hosting makes it when first asked for
        try
        {
            return system.Settings.Config;
        }
        finally
        {
            await system.Terminate();
        }
    }
}
