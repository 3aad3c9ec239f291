using k8s.Models;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// Why pods are not ready, in the words <c>kubectl describe</c> would give: not scheduled (and why), a container
/// waiting (image pull, crash loop), running but failing its readiness probe. Pure; for the timeout message.
/// </summary>
internal static class PodDiagnosis
{
    private const int MostPods = 5;

    public static IReadOnlyList<string> Describe(IReadOnlyList<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var notReady = pods.Where(p => !IsReady(p)).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        var lines = notReady.Take(MostPods).Select(p => $"Pod {p.Metadata.Name}: {Why(p)}").ToList();
        if (notReady.Count > MostPods) lines.Add($"and {notReady.Count - MostPods} more pods not ready");
        return lines;
    }

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static string Why(V1Pod pod)
    {
        var status = pod.Status;
        if (status is null) return "no status yet";
        if (status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is { } unscheduled)
        {
            return $"not scheduled: {unscheduled.Reason}: {unscheduled.Message}";
        }
        var containers = (status.InitContainerStatuses ?? []).Concat(status.ContainerStatuses ?? []).ToList();
        foreach (var c in containers)
        {
            if (c.State?.Waiting is { } waiting && waiting.Reason is not (null or "PodInitializing" or "ContainerCreating"))
            {
                var last = c.LastState?.Terminated is { } t ? $" (last exit code {t.ExitCode}{(t.Reason is null ? "" : $", {t.Reason}")})" : "";
                return $"container {c.Name} waiting: {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? "" : $": {waiting.Message}")}{last}";
            }
            if (c.State?.Terminated is { ExitCode: not 0 } terminated)
            {
                return $"container {c.Name} exited with code {terminated.ExitCode}{(terminated.Reason is null ? "" : $" ({terminated.Reason})")}";
            }
        }
        if (containers.FirstOrDefault(c => c.State?.Running is not null && c.Ready != true) is { } unready)
        {
            return $"container {unready.Name} running, not ready (its readiness probe fails: kubectl -n {pod.Metadata.NamespaceProperty} logs {pod.Metadata.Name})";
        }
        if (containers.FirstOrDefault(c => c.State?.Waiting is not null) is { } starting)
        {
            return $"container {starting.Name} {starting.State.Waiting.Reason ?? "waiting"}";
        }
        return $"phase {status.Phase ?? "unknown"}";
    }
}
