namespace Mesh.Tests.Shared;

/// <summary>
/// Manifest text for tests, in the shape of the seed documents (egress policy demo): the one builder of Egress,
/// HTTPRouteGroup and MeshConfig text for every unit-test project (linked as source). Scalars a user might write
/// anything in (hosts, regexes, header values) are single-quoted, which YAML takes verbatim (no escapes, no aliases).
/// </summary>
internal static class ManifestText
{
    /// <summary>
    /// An Egress in <paramref name="ns"/> for the ServiceAccount <paramref name="identity"/> ("namespace/name") and any
    /// in <paramref name="alsoFor"/>, on <paramref name="port"/> and any of <paramref name="alsoOnPorts"/> (all with
    /// <paramref name="protocol"/>); a list left null is not written at all.
    /// </summary>
    public static string Egress(string name, string identity, int port, string protocol = "tcp", string[]? hosts = null,
        string[]? ipAddresses = null, string[]? routeGroups = null, string ns = "curl", string[]? alsoFor = null, int[]? alsoOnPorts = null)
    {
        var text = $"""
            kind: Egress
            apiVersion: policy.openservicemesh.io/v1alpha1
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              sources:

            """;
        foreach (var source in (string[])[identity, .. alsoFor ?? []])
        {
            var (saNs, sa) = (source.Split('/')[0], source.Split('/')[1]);
            text += $"  - kind: ServiceAccount\n    name: {sa}\n    namespace: {saNs}\n";
        }
        text += "  ports:\n" + string.Concat(((int[])[port, .. alsoOnPorts ?? []]).Select(p => $"  - number: {p}\n    protocol: {protocol}\n"));
        if (hosts is not null) text += "  hosts:\n" + string.Concat(hosts.Select(h => $"  - {Quoted(h)}\n"));
        if (ipAddresses is not null) text += "  ipAddresses:\n" + string.Concat(ipAddresses.Select(a => $"  - {a}\n"));
        if (routeGroups is not null)
        {
            text += "  matches:\n" + string.Concat(routeGroups.Select(g =>
                $"  - apiGroup: specs.smi-spec.io/v1alpha4\n    kind: HTTPRouteGroup\n    name: {g}\n"));
        }
        return text;
    }

    /// <summary>An HTTPRouteGroup in namespace curl with one match per (name, path regex).</summary>
    public static string RouteGroup(string name, params (string Name, string PathRegex)[] matches) =>
        RouteGroup(name, [.. matches.Select(m => (m.Name, (string?)m.PathRegex, (string[]?)null, ((string, string)[]?)null))]);

    /// <summary>
    /// An HTTPRouteGroup in namespace curl; per match, what is null is not written (no pathRegex, methods or headers),
    /// and an empty method list is written as one (<c>methods: []</c>).
    /// </summary>
    public static string RouteGroup(string name, params (string Name, string? Path, string[]? Methods, (string, string)[]? Headers)[] matches)
    {
        var text = $"""
            apiVersion: specs.smi-spec.io/v1alpha4
            kind: HTTPRouteGroup
            metadata:
              name: {name}
              namespace: curl
            spec:
              matches:

            """;
        foreach (var (match, path, methods, headers) in matches)
        {
            text += $"  - name: {match}\n";
            if (path is not null) text += $"    pathRegex: {Quoted(path)}\n";
            if (methods is not null) text += "    methods: [" + string.Join(", ", methods.Select(Quoted)) + "]\n";
            if (headers is not null) text += "    headers:\n" + string.Concat(headers.Select(h => $"      {h.Item1}: {Quoted(h.Item2)}\n"));
        }
        return text;
    }

    public static string MeshConfig(bool enableEgress, bool enableEgressPolicy = true, string ns = "mesh-system", string name = "mesh-config") =>
        SeedManifests.MeshConfig(enableEgress, enableEgressPolicy, ns, name);

    public static string Documents(params string[] documents) =>
        string.Join("---\n", documents.Select(d => d.EndsWith('\n') ? d : d + "\n"));

    private static string Quoted(string scalar) => $"'{scalar.Replace("'", "''", StringComparison.Ordinal)}'";
}
