namespace Mesh.Cli.Explain;

/// <summary>
/// The arguments of <c>mesh egress explain</c>, as typed: <see cref="Http"/> is <c>METHOD PATH</c>, each header
/// <c>name:value</c>. Parsing and checking them is the runner's job, so the command line stays a thin shell. The
/// directory and the MeshConfig that counts come from the same configuration <c>mesh run</c> reads. With
/// <see cref="Kubernetes"/>, the objects are read from the API server instead of <see cref="Manifests"/>.
/// </summary>
public sealed record EgressExplainArguments(
    string Manifests,
    Mesh.Policy.Model.ResourceKey MeshConfigKey,
    string From,
    string To,
    string? Ip = null,
    string? Sni = null,
    IReadOnlyList<string>? Http = null,
    IReadOnlyList<string>? Headers = null,
    Mesh.Control.Sources.Kubernetes.KubernetesSourceOptions? Kubernetes = null);
