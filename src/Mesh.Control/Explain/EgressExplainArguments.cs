namespace Mesh.Control.Explain;

/// <summary>
/// The arguments of <c>mesh egress explain</c>, as typed: <see cref="Http"/> is <c>METHOD PATH</c>, each header
/// <c>name:value</c>. Parsing and checking them is the runner's job, so the command line stays a thin shell.
/// </summary>
public sealed record EgressExplainArguments(
    string Manifests,
    string From,
    string To,
    string? Ip = null,
    string? Sni = null,
    IReadOnlyList<string>? Http = null,
    IReadOnlyList<string>? Headers = null);
