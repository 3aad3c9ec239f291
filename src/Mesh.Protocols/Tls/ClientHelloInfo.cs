namespace Mesh.Protocols.Tls;

/// <summary>What the proxy uses from a ClientHello.</summary>
/// <param name="ServerName">Lower-cased server_name on <see cref="SniReadStatus.Success"/>, else null.</param>
/// <param name="ApplicationProtocols">ALPN protocol ids in client preference order; ids that are not
/// visible ASCII (e.g. GREASE values) are left out. Empty when the extension is absent.</param>
/// <param name="OffersTls13">supported_versions lists TLS 1.3.</param>
internal readonly record struct ClientHelloInfo(string? ServerName, IReadOnlyList<string> ApplicationProtocols, bool OffersTls13);
