using System.Text;

namespace Mesh.Protocols.Http;

/// <summary>
/// Read-only view of a parsed head's field lines, in wire order. Names and values are spans into the
/// head's own copy of the bytes, so enumerating or looking up allocates nothing; the view is valid
/// until the head is parsed into again.
/// </summary>
internal readonly struct HttpHeaderFields
{
    private readonly HttpMessageHead _head;

    internal HttpHeaderFields(HttpMessageHead head) => _head = head;

    public int Count => _head.FieldCount;

    public ReadOnlySpan<byte> GetName(int index) => _head.Slice(_head.GetField(index).NameStart, _head.GetField(index).NameLength);

    public ReadOnlySpan<byte> GetValue(int index) => _head.Slice(_head.GetField(index).ValueStart, _head.GetField(index).ValueLength);

    /// <summary>Finds the first field with this name (ASCII case-insensitive).</summary>
    public bool TryGetValue(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (int i = 0; i < Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(GetName(i), name))
            {
                value = GetValue(i);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <inheritdoc cref="TryGetValue(ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>
    public bool TryGetValue(string name, out ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(GetName(i), name))
            {
                value = GetValue(i);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Number of field lines with this name (e.g. to spot repeated fields).</summary>
    public int CountOf(ReadOnlySpan<byte> name)
    {
        int n = 0;
        for (int i = 0; i < Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(GetName(i), name))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Allocating convenience for policy code and tests; field values are decoded as Latin-1.</summary>
    public string? GetString(string name) => TryGetValue(name, out ReadOnlySpan<byte> value) ? Encoding.Latin1.GetString(value) : null;
}
