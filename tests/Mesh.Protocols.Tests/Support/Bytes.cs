using System.Text;

namespace Mesh.Protocols.Tests.Support;

internal static class Bytes
{
    /// <summary>Latin-1 so test strings can carry any byte value ("\x01", "\xff").</summary>
    public static byte[] Of(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
