using Mesh.Policy.Model;

namespace Mesh.Deploy.Injection;

/// <summary>
/// The pod annotations OSM (<c>openservicemesh.io/</c>) and FSM (<c>flomesh.io/</c>) users already write: opting out of
/// injection and per-pod interception exclusions, each a comma-separated list. An unreadable value is an error that
/// names the annotation, never silently ignored (an ignored exclusion would be harmless, an ignored opt-out not).
/// </summary>
internal static class PodAnnotations
{
    public static readonly string[] Prefixes = ["openservicemesh.io/", "flomesh.io/"];

    public const string SidecarInjection = "sidecar-injection";
    public const string OutboundPortExclusionList = "outbound-port-exclusion-list";
    public const string OutboundIPRangeExclusionList = "outbound-ip-range-exclusion-list";
    public const string OutboundIPRangeInclusionList = "outbound-ip-range-inclusion-list";

    /// <summary>True or false when the pod says whether it wants a sidecar; null when it does not say.</summary>
    public static bool? InjectionRequested(IDictionary<string, string>? annotations)
    {
        bool? result = null;
        foreach (var (name, value) in Find(annotations, SidecarInjection))
        {
            var requested = value.Trim().ToLowerInvariant() switch
            {
                "enabled" or "yes" or "true" => true,
                "disabled" or "no" or "false" => false,
                _ => throw new InjectionException($"annotation {name}: '{value}' is not enabled or disabled"),
            };
            // When both prefixes are present and disagree, opting out wins: injecting against a stated wish is worse.
            result = result is false ? false : requested;
        }
        return result;
    }

    public static IReadOnlyList<int> Ports(IDictionary<string, string>? annotations, string annotation) =>
        [.. Find(annotations, annotation).SelectMany(a => Items(a.Value).Select(item =>
            int.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
                ? port
                : throw new InjectionException($"annotation {a.Name}: '{item}' is not a port number (1..65535)")))];

    public static IReadOnlyList<Cidr> Cidrs(IDictionary<string, string>? annotations, string annotation) =>
        [.. Find(annotations, annotation).SelectMany(a => Items(a.Value).Select(item =>
            Cidr.TryParse(item, out var cidr, out var error) ? cidr : throw new InjectionException($"annotation {a.Name}: {error}")))];

    private static IEnumerable<(string Name, string Value)> Find(IDictionary<string, string>? annotations, string annotation)
    {
        if (annotations is null) yield break;
        foreach (var prefix in Prefixes)
        {
            if (annotations.TryGetValue(prefix + annotation, out var value)) yield return (prefix + annotation, value);
        }
    }

    private static string[] Items(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
