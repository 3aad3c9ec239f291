using System.CommandLine;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh run</c>: the all-in-one node (see <see cref="AllInOneNode"/>) in the generic host.</summary>
internal static class RunCommand
{
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
            return Task.FromResult(new HostedRole(settings.LogLevel, "", services =>
            {
                services.AddSingleton(settings);
                services.AddHostedService<AllInOneNode>();
            }));
        }, ct));
        return command;
    }
}
