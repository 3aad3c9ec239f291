using System.Diagnostics.CodeAnalysis;

namespace Mesh.Hocon;

/// <summary>The JSON-level type of a resolved HOCON value.</summary>
public enum HoconValueType
{
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The spec's name for the JSON type.")]
    Object,
    List,
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The spec's name for the JSON type.")]
    String,
    Number,
    Boolean,
    Null,
}
