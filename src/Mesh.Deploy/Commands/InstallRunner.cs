using Mesh.Deploy.Cluster;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Commands;

/// <summary>
/// <c>mesh install</c>: with <c>--dry-run</c>, renders every object of an installation as YAML for
/// <c>kubectl apply -f -</c>; otherwise applies them to the cluster (<see cref="MeshInstaller"/>) and reports what it
/// did, object by object, on stdout; waits are shown on the progress display, errors go to stderr.
/// </summary>
internal static class InstallRunner
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;
    public const int Interrupted = 130;

    /// <summary><c>mesh install --dry-run</c>: the manifests as YAML, no cluster needed.</summary>
    public static int DryRun(InstallArguments arguments, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Parse(arguments, error) is not { } values) return UsageError;
        var objects = InstallManifests.Render(values, InstallManifests.CreateTls(values));
        output.Write(ManifestYaml.Write(objects,
            $"Mesh \"{values.MeshName}\" in namespace \"{values.Namespace}\", rendered by `mesh install --dry-run`.\n" +
            "The webhook certificate and its CA are made anew by every run."));
        return Ok;
    }

    public static async Task<int> RunAsync(
        InstallArguments arguments, ClusterArguments cluster, TextWriter output, TextWriter error, IProgressDisplay progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (Parse(arguments, error) is not { } values) return UsageError;
        return await ClusterCommand.RunAsync("mesh install", cluster, error, async api =>
        {
            output.WriteLine($"Installing mesh \"{values.MeshName}\" in namespace {values.Namespace} on {api.Server}");
            var installer = new MeshInstaller(api, output, progress, cluster.Waits);
            await installer.InstallAsync(values, cancellationToken).ConfigureAwait(false);
            output.WriteLine(Summary(values, installer.Results));
        }, cancellationToken).ConfigureAwait(false);
    }

    private static InstallValues? Parse(InstallArguments arguments, TextWriter error)
    {
        try
        {
            return ValuesParser.Parse(arguments.Assignments);
        }
        catch (ValuesException e)
        {
            error.WriteLine($"mesh install: {e.Message}");
            return null;
        }
    }

    private static string Summary(InstallValues values, IReadOnlyList<ObjectResult> results)
    {
        int Count(ObjectOutcome o) => results.Count(r => r.Outcome == o);
        var changed = Count(ObjectOutcome.Created) + Count(ObjectOutcome.Updated);
        var counts = $"{Count(ObjectOutcome.Created)} created, {Count(ObjectOutcome.Updated)} updated, {Count(ObjectOutcome.Unchanged) + Count(ObjectOutcome.Kept)} unchanged";
        var mesh = values.MeshName == new InstallValues().MeshName ? "" : $" --mesh-name {values.MeshName}";
        return changed == 0
            ? $"Mesh \"{values.MeshName}\" is installed and up to date ({counts})."
            : $"Mesh \"{values.MeshName}\" is installed ({counts}). Enroll a namespace: mesh namespace add NAMESPACE{mesh}";
    }
}
