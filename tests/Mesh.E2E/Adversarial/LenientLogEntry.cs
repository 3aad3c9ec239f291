namespace Mesh.E2E.Adversarial;

/// <summary>
/// One line of the lenient origin's log (Mesh.E2E.Origin/Lenient): Event is "connection", "request" (HTTP/1 or, with
/// Protocol "HTTP/2", an HTTP/2 HEADERS frame), "h2-preface", "tunnel" or "unparsed". Path is the path the origin
/// routed on after its lenient normalisation; Target is the request-target as it arrived.
/// </summary>
internal sealed record LenientLogEntry(
    string Event,
    string Listener,
    string? Remote,
    string? Local,
    string? Host,
    string? Method,
    string? Path,
    string? Protocol,
    int? Status,
    string? Target,
    string? Framing,
    long? BodyBytes,
    string? Upgrade,
    string? Detail)
{
    public bool IsRequest => Event == "request";

    public override string ToString() =>
        $"{Event} {Listener} {Remote}->{Local} {Method} {Target} => path={Path} host={Host} {Protocol} status={Status} framing={Framing} body={BodyBytes} upgrade={Upgrade} {Detail}";
}
