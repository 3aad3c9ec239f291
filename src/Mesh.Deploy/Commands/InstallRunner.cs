using Mesh.Deploy.Manifests;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Commands;

/// <summary>
/// <c>mesh install --dry-run</c>: renders every object of an installation as YAML for <c>kubectl apply -f -</c>.
/// Applying them itself (server-side apply, waiting for the controllers) needs the Kubernetes client work and is not
/// built yet; without <c>--dry-run</c> the command says so.
/// </summary>
internal static class InstallRunner
{
    public const int Ok = 0;
    public const int UsageError = 2;

    public static int Run(InstallArguments arguments, bool dryRun, TextWriter output, TextWriter error)
    {
        InstallValues values;
        try
        {
            values = ValuesParser.Parse(arguments.Assignments);
        }
        catch (ValuesException e)
        {
            error.WriteLine($"mesh install: {e.Message}");
            return UsageError;
        }
        if (!dryRun)
        {
            error.WriteLine("mesh install: applying to a cluster is not available yet; render the manifests with --dry-run and apply them: mesh install --dry-run | kubectl apply --server-side -f -");
            return UsageError;
        }

        var objects = InstallManifests.Render(values, InstallManifests.CreateTls(values));
        output.Write(ManifestYaml.Write(objects,
            $"Mesh \"{values.MeshName}\" in namespace \"{values.Namespace}\", rendered by `mesh install --dry-run`.\n" +
            "The webhook certificate and its CA are made anew by every run."));
        return Ok;
    }
}
