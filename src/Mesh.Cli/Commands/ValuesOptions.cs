using System.CommandLine;
using Mesh.Deploy.Commands;

namespace Mesh.Cli.Commands;

/// <summary>The flags that make install values, shared by <c>mesh install</c> and <c>mesh inject</c>.</summary>
internal sealed class ValuesOptions
{
    private readonly Option<string?> _meshName = new("--mesh-name") { Description = "Name of the mesh (mesh.name, default mesh)" };
    private readonly Option<string?> _namespace = new("--namespace") { Description = "Namespace of the controllers (mesh.namespace, default mesh-system)" };
    private readonly Option<string[]> _set = new("--set")
    {
        Description = "KEY=VALUE, Helm style (e.g. mesh.enableEgress=true, controller.replicas=3, mesh.outboundPortExclusionList={5432,6379}); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    public ValuesOptions(Command command)
    {
        foreach (var option in new Option[] { _meshName, _namespace, _set }) command.Options.Add(option);
    }

    public InstallArguments Read(ParseResult parse) =>
        new(parse.GetValue(_set) ?? [], parse.GetValue(_meshName), parse.GetValue(_namespace));
}
