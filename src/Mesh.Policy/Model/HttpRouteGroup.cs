using System.Text.RegularExpressions;

namespace Mesh.Policy.Model;

/// <summary>
/// One SMI HTTPRouteGroup match. Regexes are compiled once and anchored for a full match, as Envoy's safe_regex
/// matches; each match has a time limit, since patterns come from manifests (see HttpRouteGroupReader).
/// </summary>
public sealed record HttpRouteMatch(
    string Name,
    string? PathRegex,
    IReadOnlyList<string> Methods,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    internal Regex? CompiledPath { get; init; }

    internal IReadOnlyList<KeyValuePair<string, Regex>> CompiledHeaders { get; init; } = [];
}

/// <summary>An SMI <c>HTTPRouteGroup</c> (specs.smi-spec.io/v1alpha4).</summary>
public sealed record HttpRouteGroup(ResourceKey Key, SourceLocation Source, IReadOnlyList<HttpRouteMatch> Matches)
    : MeshResource(Key, Source);
