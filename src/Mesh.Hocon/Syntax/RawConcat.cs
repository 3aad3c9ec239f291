namespace Mesh.Hocon;

/// <summary>
/// A value concatenation that could not be folded at parse time because it contains a substitution or
/// an object/list part. Unquoted whitespace between parts is kept as whitespace scalars.
/// </summary>
internal sealed class RawConcat(List<RawValue> parts, HoconOrigin origin) : RawValue(origin)
{
    public List<RawValue> Parts { get; } = parts;
}
