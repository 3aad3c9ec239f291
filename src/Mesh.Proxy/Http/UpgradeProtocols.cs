using System.Text;
using Mesh.Protocols.Http;

namespace Mesh.Proxy.Http;

/// <summary>
/// Which protocols an HTTP/1.1 connection may switch to through the inspector (egress-semantics step 4): only those
/// that are not HTTP. After a 101 the connection is a tunnel nobody inspects, so a switch to h2c (or to anything else
/// that carries HTTP requests: HTTP/2 by any name, SPDY, or TLS per RFC 2817, inside which HTTP follows) would let every
/// later request past the routes. WebSocket and other non-HTTP protocols remain possible.
/// </summary>
internal static class UpgradeProtocols
{
    /// <summary>Whether <paramref name="protocol"/> (<c>name[/version]</c>, RFC 9110 §7.8) carries HTTP requests.</summary>
    public static bool CarriesHttp(ReadOnlySpan<byte> protocol)
    {
        var slash = protocol.IndexOf((byte)'/');
        var name = slash < 0 ? protocol : protocol[..slash];
        return Ascii.EqualsIgnoreCase(name, "h2c"u8) || Ascii.EqualsIgnoreCase(name, "h2"u8)
            || Ascii.EqualsIgnoreCase(name, "HTTP"u8) || Ascii.EqualsIgnoreCase(name, "HTTPS"u8)
            || Ascii.EqualsIgnoreCase(name, "SPDY"u8) || Ascii.EqualsIgnoreCase(name, "TLS"u8);
    }

    /// <summary>Whether any element of an Upgrade list carries HTTP.</summary>
    public static bool AnyCarriesHttp(ReadOnlySpan<byte> list)
    {
        while (HttpSyntax.TryNextListElement(ref list, out var protocol))
        {
            if (CarriesHttp(protocol)) return true;
        }
        return false;
    }

    /// <summary>
    /// Whether a 101 that names <paramref name="switchedTo"/> answers a request that offered <paramref name="offered"/>:
    /// every protocol it names was offered (RFC 9110 §7.8: the server switches to protocols the client listed) and none
    /// carries HTTP. An empty answer, or one naming something not offered, is a switch nobody asked for.
    /// </summary>
    public static bool IsAnswerTo(ReadOnlySpan<byte> switchedTo, string? offered)
    {
        if (offered is null) return false;
        var any = false;
        while (HttpSyntax.TryNextListElement(ref switchedTo, out var protocol))
        {
            if (protocol.IsEmpty) continue;
            if (CarriesHttp(protocol) || !Offered(protocol, offered)) return false;
            any = true;
        }
        return any;
    }

    private static bool Offered(ReadOnlySpan<byte> protocol, string offered)
    {
        ReadOnlySpan<byte> list = Encoding.Latin1.GetBytes(offered);
        while (HttpSyntax.TryNextListElement(ref list, out var element))
        {
            if (Ascii.EqualsIgnoreCase(element, protocol)) return true;
        }
        return false;
    }
}
