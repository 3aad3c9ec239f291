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

    public static string Manifests(bool passthrough, int generation) => $$"""
        apiVersion: config.openservicemesh.io/v1alpha2
        kind: MeshConfig
        metadata:
          name: mesh-config
          namespace: mesh-system
        spec:
          traffic:
            enableEgress: {{(passthrough ? "true" : "false")}}
        ---
        apiVersion: specs.smi-spec.io/v1alpha4
        kind: HTTPRouteGroup
        metadata:
          name: adversary-routes
          namespace: curl
        spec:
          matches:
          - name: get
            pathRegex: /get
            methods: [GET, HEAD]
          - name: anything
            pathRegex: /anything/.*
            methods: [GET, POST]
          - name: images
            pathRegex: '.*\.png'
            methods: [GET]
          - name: websocket
            pathRegex: /ws
            methods: [GET]
          - name: misbehaving-origin
            pathRegex: /always-101
            methods: [GET]
        ---
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: adversary-http
          namespace: curl
        spec:
          sources:
          - kind: ServiceAccount
            name: curl
            namespace: curl
          hosts:
          - httpbin.org
          ports:
          - number: {{LenientOrigin.LenientPort}}
            protocol: http
          - number: {{LenientOrigin.LiteralPort}}
            protocol: http
          matches:
          - apiGroup: specs.smi-spec.io/v1alpha4
            kind: HTTPRouteGroup
            name: adversary-routes
        ---
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: adversary-tcp
          namespace: curl
        spec:
          sources:
          - kind: ServiceAccount
            name: curl
            namespace: curl
          ipAddresses:
          - {{WorldAddresses.ApiExampleTest}}/32
          ports:
          - number: {{LenientOrigin.LenientPort}}
            protocol: tcp
        ---
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: adversary-https
          namespace: curl
        spec:
          sources:
          - kind: ServiceAccount
            name: curl
            namespace: curl
          hosts:
          - httpbin.org
          ports:
          - number: 443
            protocol: https
        ---
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: {{MarkerName(generation)}}
          namespace: curl
        spec:
          sources:
          - kind: ServiceAccount
            name: curl
            namespace: curl
          ipAddresses:
          - 192.0.2.1/32
          ports:
          - number: 9
            protocol: tcp
        """;

    /// <summary>
    /// An Egress that allows nothing anyone uses (port 9 to a documentation address), renamed with each change: once
    /// the proxy's config_dump names it, the proxy enforces that generation of the policy.
    /// </summary>
    public static string MarkerName(int generation) => "generation-" + generation.ToString(CultureInfo.InvariantCulture);
}
