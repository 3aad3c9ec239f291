using System.CommandLine;
using Mesh.Deploy.Commands;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh namespace add|remove NAMESPACE...</c>, as <c>osm namespace add|remove</c>: thin shells over <see cref="NamespaceRunner"/>.</summary>
internal static class NamespaceCommand
{
    public static Command Create() => new("namespace", "Enroll namespaces in a mesh, or take them out")
    {
        Verb("add", "Add namespaces to the mesh: label openservicemesh.io/monitored-by=MESH, annotate sidecar injection enabled", NamespaceRunner.AddAsync),
        Verb("remove", "Remove namespaces from the mesh: take the label and annotation off", NamespaceRunner.RemoveAsync),
    };

    private delegate Task<int> Runner(
        IReadOnlyList<string> namespaces, string? meshName, ClusterArguments cluster, TextWriter output, TextWriter error, CancellationToken cancellationToken);

    private static Command Verb(string name, string description, Runner runner)
    {
        var namespaces = new Argument<string[]>("NAMESPACE") { Arity = ArgumentArity.OneOrMore, Description = "Namespaces" };
        var meshName = new Option<string?>("--mesh-name") { Description = "Name of the mesh (default mesh)" };
        var command = new Command(name, description) { namespaces, meshName };
        var cluster = new ClusterOptions(command, waits: false);
        command.SetAction(async (parse, ct) =>
        {
            using var interrupt = new InterruptSignal(ct);
            return await runner(parse.GetValue(namespaces) ?? [], parse.GetValue(meshName), cluster.Read(parse), Console.Out, Console.Error, interrupt.Token);
        });
        return command;
    }
}
