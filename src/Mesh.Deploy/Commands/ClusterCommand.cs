using Mesh.Deploy.Cluster;
using Mesh.Kubernetes.Client;

namespace Mesh.Deploy.Commands;

/// <summary>What every cluster command does around its work: connect, turn failures into one line on stderr and an exit code.</summary>
internal static class ClusterCommand
{
    public static async Task<int> RunAsync(string command, ClusterArguments cluster, TextWriter error, Func<ClusterApi, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            var (client, api) = cluster.Connect();
            using (client)
            {
                await work(api).ConfigureAwait(false);
            }
            return InstallRunner.Ok;
        }
        catch (KubernetesConfigurationException e)
        {
            error.WriteLine($"{command}: {e.Message}");
            return InstallRunner.UsageError;
        }
        catch (ClusterException e)
        {
            error.WriteLine($"{command}: {e.Message}");
            return InstallRunner.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"{command}: interrupted; what was done stays done, and running it again finishes the rest");
            return InstallRunner.Interrupted;
        }
    }
}
