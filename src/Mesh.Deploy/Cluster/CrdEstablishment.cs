using k8s.Models;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// Waits until the API server serves the CRDs just applied: each one <c>Established</c>. Objects of their kinds
/// (the MeshConfig) are applied only then. A CRD whose names conflict with another's never will be: that fails at
/// once with the server's reason.
/// </summary>
internal static class CrdEstablishment
{
    public static async Task WaitAsync(
        ClusterApi api, IReadOnlyList<V1CustomResourceDefinition> crds, TimeSpan timeout, TimeSpan interval, IProgressDisplay progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(progress);
        var pending = crds.Select(c => c.Metadata.Name).ToList();
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        using var deadline = new Deadline(timeout, api.Time, cancellationToken);

        // Reads every CRD still pending once; false when the deadline passed meanwhile.
        async Task<bool> CheckAsync()
        {
            foreach (var name in pending.ToList())
            {
                var target = new ObjectRef(ObjectEndpoints.CustomResourceDefinitions, null, name);
                V1CustomResourceDefinition? crd;
                try
                {
                    crd = (V1CustomResourceDefinition?)await api.ReadAsync(target, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.Passed)
                {
                    return false;
                }
                var (established, state) = Read(crd);
                if (established) pending.Remove(name);
                states[name] = state;
                if (crd?.Status?.Conditions?.FirstOrDefault(c => c.Type == "NamesAccepted") is { Status: "False" } names)
                {
                    throw new ClusterException($"customresourcedefinition/{name} is not served: its names are not accepted: {names.Reason}: {names.Message}");
                }
            }
            return true;
        }

        // Usually they are at once (an unchanged CRD stays Established): then there is nothing to show.
        if (await CheckAsync().ConfigureAwait(false) && pending.Count == 0) return;
        await progress.ShowAsync($"waiting for {pending.Count} CustomResourceDefinitions to be established: {string.Join(", ", pending)}", async report =>
        {
            while (pending.Count > 0 && await deadline.PauseAsync(interval).ConfigureAwait(false) && await CheckAsync().ConfigureAwait(false))
            {
                report($"waiting for {pending.Count} CustomResourceDefinitions to be established: {string.Join(", ", pending)}");
            }
            if (pending.Count == 0) return true;
            var missing = string.Join("; ", pending.Select(n => $"{n} ({states.GetValueOrDefault(n, "not read yet")})"));
            throw new ClusterException(
                $"the CustomResourceDefinitions were not established within {Deadline.Show(timeout)}: {missing}. Nothing else was applied; " +
                $"see kubectl get crd {pending[0]} -o yaml, then run mesh install again.");
        }).ConfigureAwait(false);
    }

    /// <summary>Whether the server serves the CRD, and its Established condition in words.</summary>
    internal static (bool Established, string State) Read(V1CustomResourceDefinition? crd)
    {
        if (crd is null) return (false, "not found");
        var condition = crd.Status?.Conditions?.FirstOrDefault(c => c.Type == "Established");
        return condition switch
        {
            null => (false, "no Established condition yet"),
            { Status: "True" } => (true, "established"),
            _ => (false, $"Established is {condition.Status}{Reason(condition.Reason, condition.Message)}"),
        };
    }

    private static string Reason(string? reason, string? message) =>
        (reason, message) switch
        {
            (null or "", null or "") => "",
            (_, null or "") => $": {reason}",
            (null or "", _) => $": {message}",
            _ => $": {reason}: {message}",
        };
}
