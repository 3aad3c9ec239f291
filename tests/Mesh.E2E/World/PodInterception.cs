namespace Mesh.E2E.World;

/// <summary>
/// The sidecar init step, as it runs in a real pod (deploy/sidecar-init.sh): in the pod's nat OUTPUT, let the
/// proxy's own user and loopback through and redirect every other outbound TCP connection to the proxy's outbound
/// port. The same chain for IPv4 (iptables) and IPv6 (ip6tables): a pod with only one of them intercepted would
/// reach the internet around the proxy over the other.
/// </summary>
public static class PodInterception
{
    public const string Chain = "MESH_OUTBOUND";

    public static async Task InstallAsync(string podNamespace)
    {
        foreach (var (tool, loopback) in new[] { ("iptables", "127.0.0.0/8"), ("ip6tables", "::1/128") })
        {
            string[][] rules =
            [
                ["-t", "nat", "-N", Chain],
                ["-t", "nat", "-A", Chain, "-m", "owner", "--uid-owner", $"{WorldAddresses.ProxyUid}", "-j", "RETURN"],
                ["-t", "nat", "-A", Chain, "-d", loopback, "-j", "RETURN"],
                ["-t", "nat", "-A", Chain, "-p", "tcp", "-j", "REDIRECT", "--to-ports", $"{WorldAddresses.OutboundPort}"],
                ["-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-j", Chain],
            ];
            foreach (var rule in rules)
            {
                // -w: the xtables lock is shared by all namespaces; wait for it rather than fail.
                await ProcessRunner.RunCheckedAsync("ip", ["netns", "exec", podNamespace, tool, "-w", "5", .. rule]);
            }
        }
    }
}
