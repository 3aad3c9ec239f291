using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// A MeshConfig as a typed Kubernetes object, with the fields Mesh reads (the rest of OSM's spec is kept by the CRD
/// but not modelled here). Used to render the default MeshConfig and to load it back in tests.
/// </summary>
internal sealed class MeshConfigResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Kind_ = "MeshConfig";

    /// <summary>The apiVersion the default MeshConfig is written in: the one the seed documents patch.</summary>
    public const string DefaultApiVersion = "config.openservicemesh.io/v1alpha2";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = DefaultApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Kind_;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public MeshConfigSpec Spec { get; set; } = new();
}

internal sealed class MeshConfigSpec
{
    [JsonPropertyName("traffic")]
    public MeshConfigTraffic Traffic { get; set; } = new();

    [JsonPropertyName("featureFlags")]
    public MeshConfigFeatureFlags FeatureFlags { get; set; } = new();

    [JsonPropertyName("sidecar")]
    public MeshConfigSidecar Sidecar { get; set; } = new();
}

internal sealed class MeshConfigTraffic
{
    [JsonPropertyName("enableEgress")]
    public bool EnableEgress { get; set; }

    [JsonPropertyName("outboundIPRangeExclusionList")]
    public IList<string> OutboundIPRangeExclusionList { get; set; } = [];

    [JsonPropertyName("outboundIPRangeInclusionList")]
    public IList<string> OutboundIPRangeInclusionList { get; set; } = [];

    [JsonPropertyName("outboundPortExclusionList")]
    public IList<int> OutboundPortExclusionList { get; set; } = [];
}

internal sealed class MeshConfigFeatureFlags
{
    [JsonPropertyName("enableEgressPolicy")]
    public bool EnableEgressPolicy { get; set; } = true;
}

internal sealed class MeshConfigSidecar
{
    [JsonPropertyName("logLevel")]
    public string LogLevel { get; set; } = "error";
}
