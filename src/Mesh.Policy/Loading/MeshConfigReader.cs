using Mesh.Policy.Model;

namespace Mesh.Policy.Loading;

/// <summary>Reads the egress-relevant fields of a MeshConfig spec.</summary>
internal static class MeshConfigReader
{
    public static MeshConfig Read(ResourceKey key, SourceLocation source, YamlObject spec)
    {
        var traffic = spec.Object("traffic");
        var flags = spec.Object("featureFlags");
        var sidecar = spec.Object("sidecar");
        var logLevel = sidecar.String("logLevel") ?? "error";
        if (!IsLogLevel(logLevel))
        {
            sidecar.FieldError("logLevel", $"'{logLevel}' is not a log level (trace, debug, info, warn, error, critical)");
        }

        var ports = new List<int>();
        foreach (var (node, path) in traffic.Sequence("outboundPortExclusionList"))
        {
            if (int.TryParse(traffic.AsString(node, path), out var port) && port is >= 1 and <= 65535) ports.Add(port);
            else traffic.Error(path, "must be a port number 1..65535", node);
        }

        return new MeshConfig(
            key,
            source,
            EnableEgress: traffic.Boolean("enableEgress") ?? false,
            EnableEgressPolicy: flags.Boolean("enableEgressPolicy") ?? true,
            SidecarLogLevel: logLevel.ToLowerInvariant(),
            OutboundIPRangeExclusions: CidrList.Read(traffic, "outboundIPRangeExclusionList"),
            OutboundIPRangeInclusions: CidrList.Read(traffic, "outboundIPRangeInclusionList"),
            OutboundPortExclusions: ports);
    }

    private static bool IsLogLevel(string level) =>
        level.ToLowerInvariant() is "trace" or "debug" or "info" or "warn" or "warning" or "error" or "critical" or "fatal" or "panic" or "disabled";
}

/// <summary>Reads a list of CIDRs (or bare addresses) with a per-item error.</summary>
internal static class CidrList
{
    public static IReadOnlyList<Cidr> Read(YamlObject parent, string field)
    {
        var result = new List<Cidr>();
        foreach (var (node, path) in parent.Sequence(field))
        {
            var text = parent.AsString(node, path);
            if (text is null) continue;
            if (Cidr.TryParse(text, out var cidr, out var error)) result.Add(cidr);
            else parent.Error(path, error!, node);
        }
        return result;
    }
}
