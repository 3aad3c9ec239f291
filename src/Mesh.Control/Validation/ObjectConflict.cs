using Mesh.Policy.Model;

namespace Mesh.Control.Validation;

/// <summary>The same object defined in two files: the first by path order is in force, the other is ignored.</summary>
public sealed record ObjectConflict(ResourceKey Key, string InForceFile, string IgnoredFile);
