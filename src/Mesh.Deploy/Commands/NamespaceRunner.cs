using Mesh.Deploy.Cluster;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Commands;

/// <summary><c>mesh namespace add|remove NAMESPACE... [--mesh-name NAME]</c>: <see cref="NamespaceMembership"/>, one namespace after another.</summary>
internal static class NamespaceRunner
{
    public static Task<int> AddAsync(IReadOnlyList<string> namespaces, string? meshName, ClusterArguments cluster, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync("mesh namespace add", namespaces, meshName, cluster, error, (m, ns, mesh) => m.AddAsync(ns, mesh, cancellationToken), output, cancellationToken);

    public static Task<int> RemoveAsync(IReadOnlyList<string> namespaces, string? meshName, ClusterArguments cluster, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync("mesh namespace remove", namespaces, meshName, cluster, error, (m, ns, mesh) => m.RemoveAsync(ns, mesh, cancellationToken), output, cancellationToken);

    private static async Task<int> RunAsync(
        string command, IReadOnlyList<string> namespaces, string? meshName, ClusterArguments cluster, TextWriter error,
        Func<NamespaceMembership, string, string, Task> act, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        string mesh;
        try
        {
            // The same rules as mesh install's mesh.name: a name the label can carry.
            mesh = ValuesParser.Parse(meshName is null ? [] : [$"mesh.name={meshName}"]).MeshName;
        }
        catch (ValuesException e)
        {
            error.WriteLine($"{command}: {e.Message}");
            return InstallRunner.UsageError;
        }
        if (namespaces.Count == 0)
        {
            error.WriteLine($"{command}: name at least one namespace");
            return InstallRunner.UsageError;
        }
        return await ClusterCommand.RunAsync(command, cluster, error, async api =>
        {
            var membership = new NamespaceMembership(api, output);
            foreach (var ns in namespaces) await act(membership, ns, mesh).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
