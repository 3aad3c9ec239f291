namespace Mesh.Policy.Tests;

/// <summary>The manifests of the seed demos (002/004), verbatim.</summary>
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

    public const string RouteGroupAndEgress = """
        apiVersion: specs.smi-spec.io/v1alpha4
        kind: HTTPRouteGroup
        metadata:
          name: egress-http-route
          namespace: curl
        spec:
          matches:
          - name: get
            pathRegex: /get
        ---
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
}
