using Mesh.Policy.Model;

namespace Mesh.Deploy.Values;

/// <summary>
/// Everything an installation is rendered from: the mesh's name and namespace, the default MeshConfig's fields, the
/// image, and the controller's, webhook's and proxy's settings. Each property has a dotted key in
/// <see cref="ValueCatalog"/> (<c>--set controller.replicas=5</c>); the defaults here are what <c>mesh install</c>
/// renders without any.
/// </summary>
internal sealed record InstallValues
{
    public string MeshName { get; init; } = "mesh";

    public string Namespace { get; init; } = "mesh-system";

    public bool EnableEgress { get; init; }

    public bool EnableEgressPolicy { get; init; } = true;

    public string SidecarLogLevel { get; init; } = "error";

    public IReadOnlyList<Cidr> OutboundIPRangeExclusions { get; init; } = [];

    public IReadOnlyList<Cidr> OutboundIPRangeInclusions { get; init; } = [];

    public IReadOnlyList<int> OutboundPortExclusions { get; init; } = [];

    public string ImageRepository { get; init; } = "mesh";

    /// <summary>A fixed tag, never <c>latest</c>: every node of a cluster must run the same build.</summary>
    public string ImageTag { get; init; } = "0.1.0";

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    public int ControllerReplicas { get; init; } = 3;

    public int ControllerClusterPort { get; init; } = 4053;

    public int ControllerAdminPort { get; init; } = 15000;

    public int ControllerWebhookPort { get; init; } = 9443;

    public string ControllerLogLevel { get; init; } = "info";

    public ResourceValues ControllerResources { get; init; } = new("200m", "256Mi", null, "512Mi");

    /// <summary>Fail: a pod of an enrolled namespace never starts without its proxy (see InjectionWebhook).</summary>
    public string WebhookFailurePolicy { get; init; } = "Fail";

    public int WebhookTimeoutSeconds { get; init; } = 10;

    public int ProxyUid { get; init; } = 1500;

    public int ProxyOutboundPort { get; init; } = 15001;

    public int ProxyAdminPort { get; init; } = 15000;

    public SidecarMode ProxySidecarMode { get; init; } = SidecarMode.Native;

    public ResourceValues ProxyResources { get; init; } = new("100m", "128Mi", null, "512Mi");

    /// <summary>The image reference every Mesh container runs.</summary>
    public string Image => $"{ImageRepository}:{ImageTag}";
}

/// <summary>Requests and limits of one container; a null limit is not set (no CPU limit by default: throttling adds latency).</summary>
internal sealed record ResourceValues(string RequestsCpu, string RequestsMemory, string? LimitsCpu, string? LimitsMemory);

/// <summary>How the proxy joins a pod.</summary>
internal enum SidecarMode
{
    /// <summary>
    /// An init container with <c>restartPolicy: Always</c> (Kubernetes 1.29+): started, and ready, before the app's
    /// containers, and it does not keep a Job from completing.
    /// </summary>
    Native,

    /// <summary>A regular container, for clusters older than 1.29. A Job's pod then never completes on its own.</summary>
    Container,
}
