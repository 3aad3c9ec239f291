namespace Mesh.Hocon;

/// <summary>
/// One resolved part of a value concatenation. <see cref="Value"/> is null for an optional
/// substitution that was not found; <see cref="IsWhitespace"/> marks unquoted whitespace.
/// </summary>
internal readonly record struct ConcatPart(HoconValue? Value, bool IsWhitespace, HoconOrigin Origin);
