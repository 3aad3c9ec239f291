using Mesh.Control.Sources.Kubernetes;
using Mesh.Kubernetes.Client;
using Mesh.Policy.Model;
using Microsoft.Extensions.Configuration;

namespace Mesh.Cli.Configuration;

/// <summary>
/// How a command reaches the Kubernetes API (<c>mesh.control.kubernetes</c>, and the MeshConfig that counts from
/// <c>mesh.control.mesh-config</c>): what <c>mesh egress explain --kubernetes</c> reads, and what <c>mesh controller
/// --kubernetes</c> puts in <see cref="Mesh.Control.ControlPlaneOptions.Kubernetes"/>.
/// </summary>
internal static class KubernetesSettings
{
    /// <exception cref="SettingsException">The kubeconfig cannot be used (missing, unreadable, no such context) or the mesh name is empty.</exception>
    public static KubernetesSourceOptions Read(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = config["mesh:control:kubernetes:kubeconfig"] is { Length: > 0 } p ? Path.GetFullPath(p) : null;
        var context = config["mesh:control:kubernetes:context"] is { Length: > 0 } c ? c : null;
        var mesh = config["mesh:control:kubernetes:mesh-name"] is { Length: > 0 } m ? m
            : throw new SettingsException("mesh.control.kubernetes.mesh-name", "is required");
        try
        {
            return new KubernetesSourceOptions { Client = KubernetesSourceOptions.FromKubeconfig(path, context), MeshName = mesh };
        }
        catch (KubernetesConfigurationException e)
        {
            throw new SettingsException(path is null ? "mesh.control.kubernetes" : "mesh.control.kubernetes.kubeconfig", e.Message);
        }
    }

    /// <summary>The one MeshConfig that counts, <c>mesh.control.mesh-config</c> (NAMESPACE/NAME).</summary>
    public static ResourceKey MeshConfigKey(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = config["mesh:control:mesh-config"] ?? "mesh-system/mesh-config";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1) throw new SettingsException("mesh.control.mesh-config", $"'{text}' must be NAMESPACE/NAME");
        return new ResourceKey(ResourceKind.MeshConfig, text[..slash], text[(slash + 1)..]);
    }
}
