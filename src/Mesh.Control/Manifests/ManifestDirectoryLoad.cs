using Mesh.Control.Validation;
using Mesh.Policy.State;

namespace Mesh.Control.Manifests;

/// <summary>A directory of manifests read once: the objects in force and the verdict on every file and object.</summary>
public sealed record ManifestDirectoryLoad(ClusterState State, ValidationReport Validation);
