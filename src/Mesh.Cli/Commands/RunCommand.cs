using System.CommandLine;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh run</c>: the all-in-one node (see <see cref="AllInOneNode"/>) in the generic host.</summary>
internal static class RunCommand
{
    /// <summary>
    /// Akka's scheduler ticks every 10 ms by default, a timer callback on the thread pool each time: an idle `mesh run`
    /// cost 3.4% of a CPU here (102 CPU ticks in 30 s; 37 at 100 ms), and an idle `mesh controller` woke 357 times a second
    /// on the runtime's timer thread and 600 on pool threads (31 and 132 at 100 ms). Every Mesh timer on Akka's scheduler is
    /// coarse (re-watch 5 s, revocation deadline, idle sweep, rescan 2 s, retries); the one that is not, the 50 ms manifest
    /// debounce, runs on the runtime's timer (<c>PreciseTimer</c>). A user's file wins.
    /// </summary>
    internal const string IdleDefaults = """
        akka.scheduler.tick-duration = 100ms

        """;

    public static Command Create()
    {
        var command = new Command("run", "Run the all-in-one node: watch a directory of manifests and proxy egress for one identity");
        var options = new CommonOptions(command);
        command.SetAction((parse, ct) => CommandHost.RunAsync("run", options.Read(parse), (configuration, _) =>
        {
            var settings = MeshSettings.Read(configuration.Settings);
            if (!Directory.Exists(settings.Control.ManifestDirectory))
            {
                throw new DirectoryNotFoundException($"manifest directory {settings.Control.ManifestDirectory} does not exist");
            }
            SocketEngine.Configure(settings.InlineSocketCompletions, settings.SocketEngineThreads);
            return Task.FromResult(Role(settings));
        }, ct));
        return command;
    }

    /// <summary>What `mesh run` gives its host: the all-in-one node, under Mesh's Akka defaults for it.</summary>
    internal static HostedRole Role(MeshSettings settings) =>
        new(settings.LogLevel, "", services =>
        {
            services.AddSingleton(settings);
            services.AddHostedService<AllInOneNode>();
        }, IdleDefaults);
}
