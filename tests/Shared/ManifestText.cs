namespace Mesh.Tests.Shared;

/// <summary>Manifest text for tests, in the shape of the seed documents (egress policy demo).</summary>
internal static class ManifestText
{
    public static string Egress(string name, string identity, int port, string protocol = "tcp", string[]? hosts = null,
        string[]? ipAddresses = null, string[]? routeGroups = null, string ns = "curl")
    {
        var (saNs, sa) = (identity.Split('/')[0], identity.Split('/')[1]);
        var text = $"""
            kind: Egress
            apiVersion: policy.openservicemesh.io/v1alpha1
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              sources:
              - kind: ServiceAccount
                name: {sa}
                namespace: {saNs}
              ports:
              - number: {port}
                protocol: {protocol}

            """;
        if (hosts is not null) text += "  hosts:\n" + string.Concat(hosts.Select(h => $"  - \"{h}\"\n"));
        if (ipAddresses is not null) text += "  ipAddresses:\n" + string.Concat(ipAddresses.Select(a => $"  - {a}\n"));
        if (routeGroups is not null)
        {
            text += "  matches:\n" + string.Concat(routeGroups.Select(g =>
                $"  - apiGroup: specs.smi-spec.io/v1alpha4\n    kind: HTTPRouteGroup\n    name: {g}\n"));
        }
        return text;
    }

    public static string RouteGroup(string name, params (string Name, string Path, string[]? Methods, (string, string)[]? Headers)[] matches)
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
            text += $"  - name: {match}\n    pathRegex: \"{path}\"\n";
            if (methods is not null) text += "    methods: [" + string.Join(", ", methods.Select(m => $"\"{m}\"")) + "]\n";
            if (headers is not null) text += "    headers:\n" + string.Concat(headers.Select(h => $"      {h.Item1}: \"{h.Item2}\"\n"));
        }
        return text;
    }

    public static string MeshConfig(bool enableEgress, bool enableEgressPolicy = true, string ns = "mesh-system", string name = "mesh-config") =>
        SeedManifests.MeshConfig(enableEgress, enableEgressPolicy, ns, name);

    public static string Documents(params string[] documents) =>
        string.Join("---\n", documents.Select(d => d.EndsWith('\n') ? d : d + "\n"));
}
