using k8s;
using Mesh.Deploy.Cluster;
using Mesh.Kubernetes.Client;

namespace Mesh.Deploy.Commands;

/// <summary>
/// How the cluster commands reach the API server (<c>--kubeconfig</c>, <c>--context</c>, as kubectl takes them) and
/// how long each wait may take (<c>--timeout</c>).
/// </summary>
internal sealed record ClusterArguments(string? Kubeconfig, string? Context, TimeSpan? Timeout = null)
{
    public WaitSettings Waits => Timeout is { } t ? WaitSettings.Default with { Timeout = t } : WaitSettings.Default;

    /// <summary>A client for the configured cluster and the API wrapper over it; the caller disposes the client.</summary>
    /// <exception cref="KubernetesConfigurationException">No usable kubeconfig.</exception>
    public (IKubernetes Client, ClusterApi Api) Connect()
    {
        var configuration = KubernetesClientFactory.Configuration(new KubernetesConnectionOptions(Kubeconfig, Context));
        var client = new k8s.Kubernetes(configuration);
        return (client, new ClusterApi(client, KubernetesClientFactory.Describe(configuration)));
    }

    /// <summary>"5m", "90s", "1m30s", "2h", or plain seconds; null with a message when unreadable or not positive.</summary>
    public static TimeSpan? ParseTimeout(string text, out string? error)
    {
        error = null;
        var rest = text.Trim();
        var total = TimeSpan.Zero;
        if (int.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var plain))
        {
            total = TimeSpan.FromSeconds(plain);
        }
        else
        {
            var match = System.Text.RegularExpressions.Regex.Match(rest, @"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            if (!match.Success || rest.Length == 0)
            {
                error = $"--timeout {text}: not a duration (examples: 90s, 5m, 1m30s)";
                return null;
            }
            int Part(int i) => match.Groups[i].Success ? int.Parse(match.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            total = new TimeSpan(Part(1), Part(2), Part(3));
        }
        if (total <= TimeSpan.Zero)
        {
            error = $"--timeout {text}: must be longer than zero";
            return null;
        }
        return total;
    }
}
