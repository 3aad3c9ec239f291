using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mesh.FakeKubeApi.Resources;

/// <summary>
/// The types the fake serves: built-ins, plus one per CustomResourceDefinition stored in it (kept in step by the
/// store), plus any registered directly. Thread-safe.
/// </summary>
public sealed partial class ResourceTypes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceType> _builtIn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceType> _custom = new(StringComparer.Ordinal);

    public ResourceTypes()
    {
        foreach (var t in BuiltInTypes.All) _builtIn[t.GroupResource] = t;
    }

    public IReadOnlyList<ResourceType> All
    {
        get
        {
            lock (_gate) return [.. _builtIn.Values, .. _custom.Values.Where(t => !_builtIn.ContainsKey(t.GroupResource))];
        }
    }

    /// <summary>Adds or replaces a type (as if its CRD had been applied).</summary>
    public void Register(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_gate) _custom[type.GroupResource] = type;
    }

    public void Unregister(string groupResource)
    {
        lock (_gate) _custom.Remove(groupResource);
    }

    public ResourceType? ByGroupResource(string groupResource)
    {
        lock (_gate) return _custom.GetValueOrDefault(groupResource) ?? _builtIn.GetValueOrDefault(groupResource);
    }

    /// <summary>The type served at /apis/{group}/{version}/{plural} (or /api/v1/{plural}).</summary>
    public ResourceType? Find(string group, string version, string plural)
    {
        var t = ByGroupResource(group.Length == 0 ? plural : $"{plural}.{group}");
        return t is not null && t.Serves(version) ? t : null;
    }

    /// <summary>The type of an object by its apiVersion and kind.</summary>
    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return All.FirstOrDefault(t => t.Group == group && t.Kind == kind && t.Serves(version));
    }

    /// <summary>The type a CustomResourceDefinition object defines, or null if it is incomplete.</summary>
    public static ResourceType? FromCrd(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = (string?)spec?["group"];
        var plural = (string?)names?["plural"];
        var kind = (string?)names?["kind"];
        if (group is null || plural is null || kind is null) return null;
        var versions = new List<string>();
        var hasStatus = false;
        foreach (var v in spec?["versions"] as JsonArray ?? [])
        {
            if (v is not JsonObject version || (string?)version["name"] is not { } name) continue;
            if (version["served"] is JsonValue served && served.TryGetValue<bool>(out var s) && !s) continue;
            versions.Add(name);
            if (version["subresources"] is JsonObject sub && sub.ContainsKey("status")) hasStatus = true;
        }
        if (versions.Count == 0) return null;
        versions.Sort(CompareVersionPriority);
        var shortNames = (names?["shortNames"] as JsonArray)?.Select(n => (string?)n).OfType<string>().ToList();
        return new ResourceType(group, versions, plural, (string?)names?["singular"] ?? kind.ToLowerInvariant(), kind,
            Namespaced: !string.Equals((string?)spec?["scope"], "Cluster", StringComparison.Ordinal), hasStatus, shortNames);
    }

    /// <summary>Kubernetes' version priority: GA before beta before alpha, higher numbers first, others last by name.</summary>
    public static int CompareVersionPriority(string a, string b)
    {
        static (int Tier, int Major, int Minor) Rank(string v)
        {
            var m = KubeVersion().Match(v);
            if (!m.Success) return (3, 0, 0);
            var major = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var minor = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return (m.Groups[2].Value switch { "" => 0, "beta" => 1, _ => 2 }, major, minor);
        }
        var (ta, ma, na) = Rank(a);
        var (tb, mb, nb) = Rank(b);
        if (ta != tb) return ta.CompareTo(tb);
        if (ta == 3) return string.CompareOrdinal(a, b);
        if (ma != mb) return mb.CompareTo(ma);
        return nb.CompareTo(na);
    }

    [GeneratedRegex(@"^v(\d+)(?:(alpha|beta)(\d+))?$")]
    private static partial Regex KubeVersion();
}
