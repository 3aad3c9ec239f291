namespace Mesh.Hocon;

/// <summary>
/// A literal string, number, boolean or null. <see cref="IsWhitespace"/> marks the unquoted whitespace
/// between the parts of a concatenation, which is kept between strings but ignored between objects
/// and lists.
/// </summary>
internal sealed class RawScalar(HoconValueType type, string text, HoconOrigin origin, bool isWhitespace = false)
    : RawValue(origin)
{
    public HoconValueType Type { get; } = type;

    public string Text { get; } = text;

    public bool IsWhitespace { get; } = isWhitespace;

    public HoconScalar ToValue() => new(Type, Text, Origin);
}
