using System.CommandLine;
using Mesh.Deploy.Commands;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh uninstall</c>: a thin shell over <see cref="UninstallRunner"/>.</summary>
internal static class UninstallCommand
{
    public static Command Create()
    {
        var meshName = new Option<string?>("--mesh-name") { Description = "Name of the mesh (default mesh)" };
        var ns = new Option<string?>("--namespace") { Description = "Namespace of its controllers (default mesh-system)" };
        var deleteCrds = new Option<bool>("--delete-crds")
        {
            Description = "Also delete the CRDs, and with them every Egress, HTTPRouteGroup and MeshConfig in the cluster",
        };
        var deleteNamespace = new Option<bool>("--delete-namespace") { Description = "Also delete the controllers' namespace and everything in it" };
        var command = new Command("uninstall", "Remove what mesh install created (the CRDs and the namespace stay unless asked)")
        {
            meshName, ns, deleteCrds, deleteNamespace,
        };
        var cluster = new ClusterOptions(command, waits: false);
        command.SetAction(async (parse, ct) =>
        {
            using var interrupt = new InterruptSignal(ct);
            return await UninstallRunner.RunAsync(new InstallArguments([], parse.GetValue(meshName), parse.GetValue(ns)),
                parse.GetValue(deleteCrds), parse.GetValue(deleteNamespace), cluster.Read(parse), Console.Out, Console.Error, interrupt.Token);
        });
        return command;
    }
}
