using System.CommandLine;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh egress ...</c>: questions about egress policy.</summary>
internal static class EgressCommand
{
    public static Command Create() => new("egress", "Inspect egress policy")
    {
        EgressExplainCommand.Create(),
    };
}
