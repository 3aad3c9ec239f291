namespace Mesh.Tests.Shared;

/// <summary>
/// The manifests of the seed demos (002/004), verbatim; one copy for every unit-test project (linked as source).
/// The end-to-end tests apply the same YAML as files (tests/Mesh.E2E/Manifests).
/// </summary>
internal static class SeedManifests
{
    public const string Httpbin80 = """
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: httpbin-80
          namespace: curl
        spec:
          sources:
          - kind: ServiceAccount
            name: curl
            namespace: curl
          hosts:
          - httpbin.org
          ports:
          - number: 80
            protocol: http
        """;

    public const string Httpbin443 = """
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: httpbin-443
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
        """;

    public const string Tcp443 = """
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: tcp-443
          namespace: curl
        spec:
          sources:
          - kind: ServiceAccount
            name: curl
            namespace: curl
          ports:
          - number: 443
            protocol: tcp
        """;

    public const string RouteGroupGet = """
        apiVersion: specs.smi-spec.io/v1alpha4
        kind: HTTPRouteGroup
        metadata:
          name: egress-http-route
          namespace: curl
        spec:
          matches:
          - name: get
            pathRegex: /get
        """;

    public const string Httpbin80WithRoutes = """
        kind: Egress
        apiVersion: policy.openservicemesh.io/v1alpha1
        metadata:
          name: httpbin-80
          namespace: curl
        spec:
          sources:
          - kind: ServiceAccount
            name: curl
            namespace: curl
          hosts:
          - httpbin.org
          ports:
          - number: 80
            protocol: http
          matches:
          - apiGroup: specs.smi-spec.io/v1alpha4
            kind: HTTPRouteGroup
            name: egress-http-route
        """;

    public const string RouteGroupAndEgress = RouteGroupGet + "\n---\n" + Httpbin80WithRoutes;

    public const string RouteGroupUpdated = """
        apiVersion: specs.smi-spec.io/v1alpha4
        kind: HTTPRouteGroup
        metadata:
          name: egress-http-route
          namespace: curl
        spec:
          matches:
          - name: get
            pathRegex: /get
          - name: status
            pathRegex: /status.*
        """;

    /// <summary>The MeshConfig that counts by default (mesh-system/mesh-config), as the seeds patch it.</summary>
    public static string MeshConfig(bool enableEgress, bool enableEgressPolicy = true, string ns = "mesh-system", string name = "mesh-config") => $"""
        apiVersion: config.openservicemesh.io/v1alpha2
        kind: MeshConfig
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          traffic:
            enableEgress: {(enableEgress ? "true" : "false")}
          featureFlags:
            enableEgressPolicy: {(enableEgressPolicy ? "true" : "false")}
        """;
}
