using k8s;
using k8s.Models;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// Waits until the controller Deployment has rolled out (<see cref="RolloutStatus"/>), showing its progress. When it
/// does not within the timeout, or its rollout fails, the error says what is missing and why, from the pods.
/// </summary>
internal static class ControllerRollout
{
    public static async Task<string> WaitAsync(
        ClusterApi api, V1Deployment applied, TimeSpan timeout, TimeSpan interval, IProgressDisplay progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(progress);
        var target = new ObjectRef(ObjectEndpoints.Deployments, applied.Metadata.NamespaceProperty, applied.Metadata.Name);
        using var deadline = new Deadline(timeout, api.Time, cancellationToken);
        var last = RolloutStatus.Of(applied);
        // The applied object is the server's own, status included: an unchanged, rolled-out Deployment needs no wait.
        if (last.Done) return $"{target} is ready: {last.Status}";
        return await progress.ShowAsync($"waiting for {target}: {last.Status}", async report =>
        {
            while (true)
            {
                try
                {
                    var current = (V1Deployment?)await api.ReadAsync(target, deadline.Token).ConfigureAwait(false)
                        ?? throw new ClusterException($"{target} was deleted while install waited for it");
                    last = RolloutStatus.Of(current);
                }
                catch (OperationCanceledException) when (deadline.Passed)
                {
                    break;
                }
                if (last.Done) return $"{target} is ready: {last.Status}";
                if (last.Failed) throw await FailureAsync(api, target, applied, last, $"its rollout failed", cancellationToken).ConfigureAwait(false);
                report($"waiting for {target}: {last.Status}");
                if (!await deadline.PauseAsync(interval).ConfigureAwait(false)) break;
            }
            throw await FailureAsync(api, target, applied, last, $"it was not ready within {Deadline.Show(timeout)}", cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task<ClusterException> FailureAsync(
        ClusterApi api, ObjectRef target, V1Deployment applied, RolloutStatus last, string what, CancellationToken cancellationToken)
    {
        var selector = string.Join(",", applied.Spec.Selector.MatchLabels.Select(kv => $"{kv.Key}={kv.Value}"));
        IReadOnlyList<string> pods;
        try
        {
            var list = await api.CallAsync($"list pods in namespace {target.Namespace}",
                ct => api.Client.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            pods = list.Items.Count == 0
                ? [$"No controller pod exists (kubectl -n {target.Namespace} describe replicaset -l {selector} says why)"]
                : PodDiagnosis.Describe([.. list.Items]);
        }
        catch (ClusterException e)
        {
            pods = [$"The pods could not be read: {e.Message}"];
        }
        var why = pods.Count == 0 ? "" : " " + string.Join("; ", pods) + ".";
        return new ClusterException(
            $"the controllers are not ready: {target}: {what}: {last.Status}.{why} The MutatingWebhookConfiguration was not applied, so no " +
            "pod is injected yet; fix the cause and run mesh install again (it changes only what differs).");
    }
}
