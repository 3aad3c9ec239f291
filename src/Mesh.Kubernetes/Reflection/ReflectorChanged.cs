using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Reflection;

/// <summary>One watch event, after the reflector's cache: never a duplicate of what was already reported.</summary>
public sealed record ReflectorChanged(WatchedResource Resource, ObjectChange Change);
