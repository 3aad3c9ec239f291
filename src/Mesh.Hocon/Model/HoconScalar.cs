namespace Mesh.Hocon;

/// <summary>A string, number, boolean or null. Numbers keep the text they were written with.</summary>
public sealed class HoconScalar : HoconValue
{
    internal HoconScalar(HoconValueType type, string text, HoconOrigin origin)
        : base(origin)
    {
        Type = type;
        Text = text;
    }

    public override HoconValueType Type { get; }

    /// <summary>
    /// The value as text: the string itself, the number as written (so <c>1.0</c> stays <c>1.0</c>),
    /// <c>true</c>/<c>false</c>, or <c>null</c>.
    /// </summary>
    public string Text { get; }

    internal static HoconScalar String(string text, HoconOrigin origin) => new(HoconValueType.String, text, origin);
}
