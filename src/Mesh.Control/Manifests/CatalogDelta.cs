using Mesh.Policy.Loading;
using Mesh.Policy.State;

namespace Mesh.Control.Manifests;

/// <summary>
/// What one update of the catalog did: the changes to the objects in force (for the aggregator) and the rejections
/// it found (to log and count; the full picture is in the report).
/// </summary>
internal sealed record CatalogDelta(IReadOnlyList<ResourceChange> Changes, IReadOnlyList<ValidationError> NewRejections);
