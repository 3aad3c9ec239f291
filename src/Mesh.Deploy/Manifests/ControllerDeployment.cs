using k8s.Models;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// The controller replicas. Stateless and interchangeable, so a Deployment: spread one per node where possible (a
/// node lost takes one replica), not root, read-only root filesystem, ready when <c>/ready</c> says so. No liveness
/// probe: a controller that is downed or whose actor system stops exits, and the kubelet restarts it.
/// </summary>
internal static class ControllerDeployment
{
    public static V1Deployment Build(InstallValues values, MeshNames names) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = names.Controller, NamespaceProperty = names.Namespace, Labels = names.ComponentLabels(names.Controller) },
        Spec = new V1DeploymentSpec
        {
            Replicas = values.ControllerReplicas,
            Selector = new V1LabelSelector { MatchLabels = names.ControllerSelector },
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 1, MaxSurge = 1 },
            },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = names.ComponentLabels(names.Controller) },
                Spec = PodSpec(values, names),
            },
        },
    };

    private static V1PodSpec PodSpec(InstallValues values, MeshNames names) => new()
    {
        ServiceAccountName = names.Controller,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = values.ProxyUid,
            RunAsGroup = values.ProxyUid,
            FsGroup = values.ProxyUid, // the webhook key is mode 0440, readable through this group
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Affinity = new V1Affinity
        {
            // Preferred, not required: a one-node cluster (kind, minikube) still runs every replica.
            PodAntiAffinity = new V1PodAntiAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1WeightedPodAffinityTerm
                    {
                        Weight = 100,
                        PodAffinityTerm = new V1PodAffinityTerm
                        {
                            TopologyKey = "kubernetes.io/hostname",
                            LabelSelector = new V1LabelSelector { MatchLabels = names.ControllerSelector },
                        },
                    },
                ],
            },
        },
        TopologySpreadConstraints =
        [
            // Nodes: never two more on one node than on another schedulable one. Tainted (e.g. NotReady) nodes do not
            // count, so a lost node cannot leave replacements Pending.
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1,
                TopologyKey = "kubernetes.io/hostname",
                WhenUnsatisfiable = "DoNotSchedule",
                NodeTaintsPolicy = "Honor",
                LabelSelector = new V1LabelSelector { MatchLabels = names.ControllerSelector },
            },
            // Zones, where the cluster has them: best effort.
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1,
                TopologyKey = "topology.kubernetes.io/zone",
                WhenUnsatisfiable = "ScheduleAnyway",
                LabelSelector = new V1LabelSelector { MatchLabels = names.ControllerSelector },
            },
        ],
        Containers = [Container(values, names)],
        Volumes =
        [
            new V1Volume { Name = "webhook-tls", Secret = new V1SecretVolumeSource { SecretName = names.InjectorSecret, DefaultMode = 288 /* 0440 */ } },
            new V1Volume { Name = "install-values", ConfigMap = new V1ConfigMapVolumeSource { Name = InstallValuesConfigMap.Name(names) } },
            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        ],
    };

    private static V1Container Container(InstallValues values, MeshNames names) => new()
    {
        Name = "controller",
        Image = values.Image,
        ImagePullPolicy = values.ImagePullPolicy,
        Args = ControllerArguments.Build(values, names),
        Env =
        [
            FieldEnv("POD_NAME", "metadata.name"),
            FieldEnv("POD_NAMESPACE", "metadata.namespace"),
            // The address the controller advertises to the cluster and to proxies (Akka's public hostname).
            FieldEnv("POD_IP", "status.podIP"),
            new V1EnvVar { Name = "MESH__LOG_LEVEL", Value = values.ControllerLogLevel },
        ],
        Ports =
        [
            new V1ContainerPort { Name = "cluster", ContainerPort = values.ControllerClusterPort, Protocol = "TCP" },
            new V1ContainerPort { Name = "admin", ContainerPort = values.ControllerAdminPort, Protocol = "TCP" },
            new V1ContainerPort { Name = "webhook", ContainerPort = values.ControllerWebhookPort, Protocol = "TCP" },
        ],
        ReadinessProbe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = "/ready", Port = "admin" },
            PeriodSeconds = 5,
            FailureThreshold = 3,
        },
        Resources = Resources.From(values.ControllerResources),
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            ReadOnlyRootFilesystem = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
        VolumeMounts =
        [
            new V1VolumeMount { Name = "webhook-tls", MountPath = ControllerArguments.WebhookCertificateDirectory, ReadOnlyProperty = true },
            new V1VolumeMount { Name = "install-values", MountPath = ControllerArguments.InstallValuesDirectory, ReadOnlyProperty = true },
            new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
        ],
    };

    internal static V1EnvVar FieldEnv(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } } };
}
