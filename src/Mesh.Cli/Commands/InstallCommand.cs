using System.CommandLine;
using Mesh.Deploy.Commands;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh install</c>: a thin shell over <see cref="InstallRunner"/>.</summary>
internal static class InstallCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the manifests as YAML instead of applying them" };
        var command = new Command("install", "Install Mesh on a Kubernetes cluster (today: --dry-run prints the manifests)") { dryRun };
        var values = new ValuesOptions(command);
        command.SetAction(parse => InstallRunner.Run(values.Read(parse), parse.GetValue(dryRun), Console.Out, Console.Error));
        return command;
    }
}
