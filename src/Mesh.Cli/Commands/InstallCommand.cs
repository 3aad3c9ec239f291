using System.CommandLine;
using Mesh.Deploy.Commands;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh install</c>: a thin shell over <see cref="InstallRunner"/>.</summary>
internal static class InstallCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the manifests as YAML instead of applying them" };
        var command = new Command("install", "Install Mesh on a Kubernetes cluster (server-side apply), and wait until its controllers are ready") { dryRun };
        var values = new ValuesOptions(command);
        var cluster = new ClusterOptions(command, waits: true);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(dryRun)) return InstallRunner.DryRun(values.Read(parse), Console.Out, Console.Error);
            using var interrupt = new InterruptSignal(ct);
            return await InstallRunner.RunAsync(values.Read(parse), cluster.Read(parse), Console.Out, Console.Error, new ConsoleProgress(), interrupt.Token);
        });
        return command;
    }
}
