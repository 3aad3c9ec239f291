using System.CommandLine;
using Mesh.Cli.Commands;

namespace Mesh.Cli;

/// <summary>The <c>mesh</c> executable: one sub-command per file under Commands/.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Mesh: service-mesh egress control plane and proxy")
        {
            RunCommand.Create(),
            EgressCommand.Create(),
            ConfigCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
