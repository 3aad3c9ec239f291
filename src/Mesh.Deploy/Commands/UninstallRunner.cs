using Mesh.Deploy.Cluster;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Commands;

/// <summary><c>mesh uninstall</c>: <see cref="MeshUninstaller"/> for the mesh named by <c>--mesh-name</c> and <c>--namespace</c>.</summary>
internal static class UninstallRunner
{
    public static async Task<int> RunAsync(
        InstallArguments arguments, bool deleteCrds, bool deleteNamespace, ClusterArguments cluster, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        InstallValues values;
        try
        {
            values = ValuesParser.Parse(arguments.Assignments);
        }
        catch (ValuesException e)
        {
            error.WriteLine($"mesh uninstall: {e.Message}");
            return InstallRunner.UsageError;
        }
        return await ClusterCommand.RunAsync("mesh uninstall", cluster, error, async api =>
        {
            output.WriteLine($"Uninstalling mesh \"{values.MeshName}\" from namespace {values.Namespace} on {api.Server}");
            var uninstaller = new MeshUninstaller(api, output);
            await uninstaller.UninstallAsync(values, deleteCrds, deleteNamespace, cancellationToken).ConfigureAwait(false);
            var deleted = uninstaller.Results.Count(r => r.Outcome == ObjectOutcome.Deleted);
            output.WriteLine(deleted == 0
                ? $"Mesh \"{values.MeshName}\" was not installed in namespace {values.Namespace}: nothing deleted."
                : $"Mesh \"{values.MeshName}\" is uninstalled ({deleted} objects deleted).");
        }, cancellationToken).ConfigureAwait(false);
    }
}
