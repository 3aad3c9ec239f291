namespace Mesh.Policy.Model;

/// <summary>A validated, immutable object of one of the kinds in <see cref="ResourceKind"/>.</summary>
public abstract record MeshResource(ResourceKey Key, SourceLocation Source);
