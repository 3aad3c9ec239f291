using Mesh.Kubernetes.Conversion;
using Mesh.Policy.Loading;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Reading;

/// <summary>
/// What the API server holds, read once: the objects in force and the enrolled namespaces (as a controller would
/// compute them from the same objects), every verdict, and the rejections of objects that count.
/// </summary>
public sealed record ApiState(ClusterState State, IReadOnlyList<ObjectVerdict> Verdicts, IReadOnlyList<ValidationError> Rejections);
