using System.Globalization;
using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// The policy every adversarial case runs under, for curl/curl: httpbin.org over http on the lenient origins' ports
/// with a few routes (an exact path, a prefix, a suffix), HTTP/2 prior knowledge allowed by a tcp rule only towards
/// api.example.test, and https for httpbin.org on 443. openservicemesh.io has no rule at all.
/// </summary>
internal static class AdversaryPolicy
{
    /// <summary>Paths the routes allow (as the origin routes them); everything the cases try to reach is outside.</summary>
    public static bool Allows(string? method, string? path) => path switch
    {
        "/get" => method is "GET" or "HEAD",
        "/ws" or "/always-101" => method == "GET",
        _ when path?.StartsWith("/anything/", StringComparison.Ordinal) == true => method is "GET" or "POST",
        _ when path?.EndsWith(".png", StringComparison.Ordinal) == true => method == "GET",
        _ => false,
    };

    public static string Manifests(bool passthrough, int generation) => ManifestText.Documents(
        ManifestText.MeshConfig(enableEgress: passthrough),
        ManifestText.RouteGroup("adversary-routes",
            ("get", "/get", ["GET", "HEAD"], null),
            ("anything", "/anything/.*", ["GET", "POST"], null),
            ("images", @".*\.png", ["GET"], null),
            ("websocket", "/ws", ["GET"], null),
            ("misbehaving-origin", "/always-101", ["GET"], null)),
        ManifestText.Egress("adversary-http", "curl/curl", LenientOrigin.LenientPort, "http", hosts: ["httpbin.org"],
            routeGroups: ["adversary-routes"], alsoOnPorts: [LenientOrigin.LiteralPort]),
        ManifestText.Egress("adversary-tcp", "curl/curl", LenientOrigin.LenientPort, "tcp", ipAddresses: [$"{WorldAddresses.ApiExampleTest}/32"]),
        ManifestText.Egress("adversary-https", "curl/curl", 443, "https", hosts: ["httpbin.org"]),
        ManifestText.Egress(MarkerName(generation), "curl/curl", 9, "tcp", ipAddresses: ["192.0.2.1/32"]));

    /// <summary>
    /// An Egress that allows nothing anyone uses (port 9 to a documentation address), renamed with each change: once
    /// the proxy's config_dump names it, the proxy enforces that generation of the policy.
    /// </summary>
    public static string MarkerName(int generation) => "generation-" + generation.ToString(CultureInfo.InvariantCulture);
}
