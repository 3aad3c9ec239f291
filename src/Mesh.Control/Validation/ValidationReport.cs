using Mesh.Policy.Loading;

namespace Mesh.Control.Validation;

/// <summary>
/// The verdict on a directory of manifests at one moment, immutable: every object with its state, every rejection
/// (syntax errors, invalid objects, conflicts) as <c>file:line: object: field: message</c>, and ignored objects.
/// </summary>
public sealed record ValidationReport(
    IReadOnlyList<ObjectStatus> Objects,
    IReadOnlyList<ValidationError> Rejections,
    IReadOnlyList<ValidationError> SyntaxErrors,
    IReadOnlyList<ObjectConflict> Conflicts,
    IReadOnlyList<IgnoredObject> Ignored)
{
    public static ValidationReport Empty { get; } = new([], [], [], [], []);

    public bool HasRejections => Rejections.Count > 0;
}
