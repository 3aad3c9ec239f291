using Mesh.Policy.Model;

namespace Mesh.Policy.Loading;

/// <summary>Reads and validates an Egress spec (policy.openservicemesh.io/v1alpha1 and its FSM twin).</summary>
internal static class EgressReader
{
    public static EgressPolicy Read(ResourceKey key, SourceLocation source, YamlObject spec)
    {
        if (!spec.Exists) spec.Error(spec.Path, "is required");
        var sources = new List<ServiceAccountIdentity>();
        foreach (var (node, path) in spec.Sequence("sources", required: true))
        {
            var item = spec.AsObject(node, path);
            var kind = item.String("kind", required: true);
            var name = item.String("name", required: true);
            var ns = item.String("namespace", required: true);
            if (kind is not null && kind != "ServiceAccount")
            {
                item.FieldError("kind", $"'{kind}' is not supported (expected ServiceAccount)");
            }
            if (!string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(ns)) sources.Add(new ServiceAccountIdentity(ns, name));
        }

        var hosts = new List<HostPattern>();
        foreach (var (node, path) in spec.Sequence("hosts"))
        {
            var text = spec.AsString(node, path);
            if (text is null) continue;
            if (HostPattern.TryParse(text, out var host, out var error)) hosts.Add(host);
            else spec.Error(path, error!, node);
        }

        var ports = new List<EgressPort>();
        foreach (var (node, path) in spec.Sequence("ports", required: true))
        {
            var item = spec.AsObject(node, path);
            var number = item.Integer("number", required: true);
            var protocolText = item.String("protocol", required: true);
            if (number is { } n && n is < 1 or > 65535)
            {
                item.FieldError("number", $"{n} is not a port number (1..65535)");
            }
            if (protocolText is not null && !TryParseProtocol(protocolText, out _))
            {
                item.FieldError("protocol", $"'{protocolText}' is not a protocol (expected http, https, tcp or tcp-server-first)");
            }
            if (number is { } p && protocolText is not null && TryParseProtocol(protocolText, out var protocol))
            {
                ports.Add(new EgressPort(p, protocol));
            }
        }
        if (hosts.Count == 0 && ports.Any(p => p.Protocol == EgressProtocol.Http))
        {
            spec.Error(spec.Child("hosts"), "is required for http ports: the Host header is matched against it");
        }

        var matches = new List<RouteGroupReference>();
        foreach (var (node, path) in spec.Sequence("matches"))
        {
            var item = spec.AsObject(node, path);
            var apiGroup = item.String("apiGroup", required: true);
            var kind = item.String("kind", required: true);
            var name = item.String("name", required: true);
            if (apiGroup is not null && kind is not null &&
                (apiGroup != ApiVersions.RouteGroupApiGroup || kind != "HTTPRouteGroup"))
            {
                item.Error(path, $"{kind} of {apiGroup} is not supported (expected HTTPRouteGroup of {ApiVersions.RouteGroupApiGroup})");
            }
            else if (!string.IsNullOrEmpty(name))
            {
                matches.Add(new RouteGroupReference(name));
            }
        }

        return new EgressPolicy(key, source, sources, hosts, CidrList.Read(spec, "ipAddresses"), ports, matches);
    }

    public static bool TryParseProtocol(string text, out EgressProtocol protocol)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "http": protocol = EgressProtocol.Http; return true;
            case "https": protocol = EgressProtocol.Https; return true;
            case "tcp": protocol = EgressProtocol.Tcp; return true;
            case "tcp-server-first": protocol = EgressProtocol.TcpServerFirst; return true;
            default: protocol = default; return false;
        }
    }
}
