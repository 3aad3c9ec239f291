using System.CommandLine;
using System.CommandLine.Invocation;
using Mesh.Cli.Commands;

namespace Mesh.Cli;

/// <summary>The <c>mesh</c> executable: one sub-command per file under Commands/.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // A proxy that dies must say why on stderr (the benchmark once saw one vanish without a word). The runtime
        // prints unhandled exceptions itself; a faulted task nobody awaited would otherwise pass unseen.
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            Console.Error.WriteLine($"mesh: warning: a background task failed unobserved: {e.Exception.GetBaseException()}");
            e.SetObserved();
        };
        var root = new RootCommand("Mesh: service-mesh egress control plane and proxy")
        {
            RunCommand.Create(),
            ControllerCommand.Create(),
            ProxyCommand.Create(),
            EgressCommand.Create(),
            ConfigCommand.Create(),
            InstallCommand.Create(),
            UninstallCommand.Create(),
            NamespaceCommand.Create(),
            InjectCommand.Create(),
        };
        // No termination handling by the parser: the long-running commands stop in order on SIGTERM, SIGINT and SIGHUP
        // themselves (Hosting/SignalLifetime.cs) and say which signal it was.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
