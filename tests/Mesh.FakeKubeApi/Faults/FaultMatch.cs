namespace Mesh.FakeKubeApi.Faults;

/// <summary>Which requests a fault applies to: by verb (get, list, watch, create, update, patch, delete), resource (plural) and group; null matches any.</summary>
public sealed record FaultMatch(string? Verb = null, string? Resource = null, string? Group = null)
{
    public static FaultMatch Any { get; } = new();

    public bool Matches(string verb, string? resource, string? group) =>
        (Verb is null || Verb == verb) && (Resource is null || Resource == resource) && (Group is null || Group == group);
}
