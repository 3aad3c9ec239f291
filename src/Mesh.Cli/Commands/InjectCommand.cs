using System.CommandLine;
using Mesh.Deploy.Commands;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh inject</c>: a thin shell over <see cref="InjectRunner"/>.</summary>
internal static class InjectCommand
{
    public static Command Create()
    {
        var file = new Option<string>("-f", "--filename") { Description = "Manifests to inject (YAML or JSON; - for stdin)", Required = true };
        var meshConfig = new Option<string?>("--mesh-config") { Description = "A MeshConfig manifest whose interception exclusions to use (default: the install values')" };
        var command = new Command("inject", "Add the interception init container and the proxy to the workloads of a manifest stream") { file, meshConfig };
        var values = new ValuesOptions(command);
        command.SetAction(parse => InjectRunner.Run(
            values.Read(parse), parse.GetValue(file)!, parse.GetValue(meshConfig), Console.In, Console.Out, Console.Error));
        return command;
    }
}
