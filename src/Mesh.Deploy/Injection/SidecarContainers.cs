using System.Globalization;
using k8s.Models;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Injection;

/// <summary>The containers injection adds: the interception init step and the proxy.</summary>
internal static class SidecarContainers
{
    public const string InitName = "mesh-init";
    public const string ProxyName = "mesh-proxy";
    public const string ProxyTmpVolume = "mesh-proxy-tmp";

    /// <summary>Where the image keeps deploy/sidecar-init.sh (see the Dockerfile).</summary>
    public const string InitScript = "/opt/mesh/sidecar-init.sh";

    /// <summary>
    /// Root with NET_ADMIN and NET_RAW, the least iptables needs to write the pod's nat table; nothing else. It runs
    /// before every other container and exits.
    /// </summary>
    public static V1Container Init(InjectionSettings settings, InterceptionRules rules) => new()
    {
        Name = InitName,
        Image = settings.Values.Image,
        ImagePullPolicy = settings.Values.ImagePullPolicy,
        Command = ["/bin/sh", InitScript],
        Env = rules.Environment(),
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") },
        },
        SecurityContext = new V1SecurityContext
        {
            RunAsUser = 0,
            RunAsGroup = 0,
            RunAsNonRoot = false,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"], Add = ["NET_ADMIN", "NET_RAW"] },
        },
    };

    /// <summary>
    /// The proxy, as uid <c>proxy.uid</c> (the one user whose traffic the rules let out untouched). Its identity comes
    /// from the downward API, <c>NAMESPACE/SERVICEACCOUNT</c> of the pod as admitted: right even when the manifest
    /// names no namespace (<c>kubectl apply -n</c>) or no ServiceAccount (<c>default</c>).
    /// </summary>
    public static V1Container Proxy(InjectionSettings settings)
    {
        var values = settings.Values;
        return new V1Container
        {
            Name = ProxyName,
            Image = values.Image,
            ImagePullPolicy = values.ImagePullPolicy,
            Args =
            [
                "proxy",
                "--config", ControllerArguments.ConfigFile,
                "--identity", "$(MESH_POD_NAMESPACE)/$(MESH_SERVICE_ACCOUNT)",
                "--controllers", settings.Names.ControllerContactPoints,
                "--outbound-port", Text(values.ProxyOutboundPort),
                "--admin", $"0.0.0.0:{Text(values.ProxyAdminPort)}",
            ],
            Env =
            [
                ControllerDeployment.FieldEnv("MESH_POD_NAMESPACE", "metadata.namespace"),
                ControllerDeployment.FieldEnv("MESH_SERVICE_ACCOUNT", "spec.serviceAccountName"),
            ],
            // Native sidecar: restarted if it exits, started before the app, and not counted for a Job's completion.
            RestartPolicy = values.ProxySidecarMode == SidecarMode.Native ? "Always" : null,
            Ports = [new V1ContainerPort { Name = "mesh-admin", ContainerPort = values.ProxyAdminPort, Protocol = "TCP" }],
            // Not ready before the first snapshot (the proxy refuses everything until then). As a native sidecar its
            // startup probe holds the app's containers back until then, so the app never starts into refusals.
            StartupProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/ready", Port = values.ProxyAdminPort },
                PeriodSeconds = 1,
                FailureThreshold = 120,
            },
            ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/ready", Port = values.ProxyAdminPort },
                PeriodSeconds = 5,
            },
            Resources = Resources.From(values.ProxyResources),
            SecurityContext = new V1SecurityContext
            {
                RunAsUser = values.ProxyUid,
                RunAsGroup = values.ProxyUid,
                RunAsNonRoot = true,
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
            VolumeMounts = [new V1VolumeMount { Name = ProxyTmpVolume, MountPath = "/tmp" }],
        };
    }

    public static V1Volume TmpVolume() => new() { Name = ProxyTmpVolume, EmptyDir = new V1EmptyDirVolumeSource() };

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
