using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Reflection;

/// <summary>The words of a failure report: what failed, what the server said, and for 401/403 what to fix.</summary>
internal static class FailureMessages
{
    public static string For(WatchedResource resource, string verb, ApiFailure failure, TimeSpan retryIn)
    {
        var r = resource.Resource;
        var group = r.Group.Length == 0 ? "the core API group" : $"API group {r.Group}";
        var where = resource.Namespace is { } ns ? $" in namespace {ns}" : " (cluster-wide)";
        var server = failure.Detail.Length > 0 ? $" The server said: {failure.Detail}." : "";
        var retry = $" Retrying in {retryIn.TotalSeconds:0.#} s.";
        return failure.Kind switch
        {
            FailureKind.Forbidden =>
                $"403 Forbidden: Mesh may not {verb} {r.Name}{where}. Grant the controller's service account the verb '{verb}' on resource " +
                $"'{r.Plural}' in {group}{where} (a {(resource.Namespace is null ? "ClusterRole" : "Role")} rule). Until then this kind is not synced " +
                $"and the controller is not ready.{server}{retry}",
            FailureKind.Unauthorized =>
                $"401 Unauthorized: the API server does not accept Mesh's credentials for {verb} {r.Name}{where}. Check the service account " +
                $"token (in a pod) or the kubeconfig user.{server}{retry}",
            FailureKind.NotFound =>
                $"{r.Name} is not served ({verb} got 404): its CustomResourceDefinition is not installed. Counting it as empty.{server}{retry}",
            FailureKind.Expired => $"{verb} {r.Name}: resourceVersion expired (410), relisting.{server}",
            FailureKind.Throttled => $"{verb} {r.Name}{where}: throttled (429).{server}{retry}",
            FailureKind.ServerError => $"{verb} {r.Name}{where}: server error ({failure.StatusCode}).{server}{retry}",
            FailureKind.Stalled => $"watch {r.Name}{where}: {failure.Detail}; reopening it.{retry}",
            FailureKind.ShortWatch => $"watch {r.Name}{where}: {failure.Detail}.{retry}",
            FailureKind.Transport => $"{verb} {r.Name}{where}: connection failed: {failure.Detail}.{retry}",
            _ => $"{verb} {r.Name}{where}: {failure}.{retry}",
        };
    }

    /// <summary>The words for a single read that is not retried (<c>mesh egress explain --kubernetes</c>).</summary>
    public static string ForOneRead(WatchedResource resource, string verb, ApiFailure failure)
    {
        var r = resource.Resource;
        var group = r.Group.Length == 0 ? "the core API group" : $"API group {r.Group}";
        var where = resource.Namespace is { } ns ? $" in namespace {ns}" : " (cluster-wide)";
        var server = failure.Detail.Length > 0 ? $" The server said: {failure.Detail}." : "";
        return failure.Kind switch
        {
            FailureKind.Forbidden =>
                $"403 Forbidden: you may not {verb} {r.Name}{where}; it needs the verb '{verb}' on resource '{r.Plural}' in {group}{where}.{server}",
            FailureKind.Unauthorized => $"401 Unauthorized: the API server does not accept the credentials for {verb} {r.Name}{where}.{server}",
            FailureKind.Transport => $"{verb} {r.Name}{where}: connection failed: {failure.Detail}",
            _ => $"{verb} {r.Name}{where}: {failure}",
        };
    }
}
