using k8s;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Access;

/// <summary>One event of a watch stream. For a bookmark, the object carries only its resourceVersion.</summary>
public readonly record struct WatchEvent(WatchEventType Type, KubeObject Item);
