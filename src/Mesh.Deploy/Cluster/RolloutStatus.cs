using k8s.Models;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// Whether a Deployment has rolled out, as <c>kubectl rollout status</c> judges it: the controller has seen the
/// current spec, every desired replica runs the current template and is ready, no old replica is left. Pure.
/// </summary>
internal sealed record RolloutStatus(bool Done, bool Failed, string Status)
{
    public static RolloutStatus Of(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var desired = deployment.Spec?.Replicas ?? 1;
        var status = deployment.Status ?? new V1DeploymentStatus();
        if (status.Conditions?.FirstOrDefault(c => c.Type == "Progressing") is { Status: "False", Reason: "ProgressDeadlineExceeded" } stuck)
        {
            return new(false, true, $"rollout failed: {stuck.Message}");
        }
        var failure = status.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True") is { } f
            ? $" ({f.Reason}: {f.Message})"
            : "";
        if ((status.ObservedGeneration ?? 0) < (deployment.Metadata?.Generation ?? 0))
        {
            return new(false, false, "waiting for the deployment controller to see the new spec" + failure);
        }
        var updated = status.UpdatedReplicas ?? 0;
        var ready = status.ReadyReplicas ?? 0;
        var total = status.Replicas ?? 0;
        if (updated < desired) return new(false, false, $"{updated} of {desired} replicas updated, {ready} ready" + failure);
        if (total > updated) return new(false, false, $"{total - updated} old replicas still running, {ready} of {desired} ready" + failure);
        if (ready < desired) return new(false, false, $"{ready} of {desired} replicas ready" + failure);
        return new(true, false, $"{ready} of {desired} replicas ready");
    }
}
