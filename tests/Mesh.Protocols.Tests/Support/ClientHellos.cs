using System.Security.Authentication;

namespace Mesh.Protocols.Tests.Support;

/// <summary>Real ClientHellos captured once per test run (capturing costs a TLS library round).</summary>
internal static class ClientHellos
{
    private static readonly Lazy<byte[]> Tls13Lazy = new(() =>
        ClientHelloCapture.Capture("api.Example.COM", SslProtocols.Tls13, "h2", "http/1.1"));

    private static readonly Lazy<byte[]> Tls12Lazy = new(() =>
        ClientHelloCapture.Capture("legacy.example.org", SslProtocols.Tls12));

    private static readonly Lazy<byte[]> NoSniLazy = new(() =>
        ClientHelloCapture.Capture("127.0.0.1", SslProtocols.Tls12 | SslProtocols.Tls13));

    /// <summary>TLS 1.3 only, SNI "api.Example.COM", ALPN h2 and http/1.1.</summary>
    public static byte[] Tls13 => Tls13Lazy.Value;

    /// <summary>TLS 1.2 only, SNI "legacy.example.org", no ALPN.</summary>
    public static byte[] Tls12 => Tls12Lazy.Value;

    /// <summary>Target is an IP literal, so the client sends no server_name.</summary>
    public static byte[] NoSni => NoSniLazy.Value;

    public static IEnumerable<byte[]> All => [Tls13, Tls12, NoSni];
}
