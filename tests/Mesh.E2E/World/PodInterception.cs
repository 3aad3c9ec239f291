namespace Mesh.E2E.World;

/// <summary>
/// The sidecar init step, as it runs in a real pod: in the pod's nat OUTPUT, let the proxy's own user and
/// loopback through and redirect every other outbound TCP connection to the proxy's outbound port.
/// </summary>
public static class PodInterception
{
    public const string Chain = "MESH_OUTBOUND";

    public static async Task InstallAsync(string podNamespace)
    {
        string[][] rules =
        [
            ["-t", "nat", "-N", Chain],
            ["-t", "nat", "-A", Chain, "-m", "owner", "--uid-owner", $"{WorldAddresses.ProxyUid}", "-j", "RETURN"],
            ["-t", "nat", "-A", Chain, "-d", "127.0.0.0/8", "-j", "RETURN"],
            ["-t", "nat", "-A", Chain, "-p", "tcp", "-j", "REDIRECT", "--to-ports", $"{WorldAddresses.OutboundPort}"],
            ["-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-j", Chain],
        ];
        foreach (var rule in rules)
        {
            // -w: the xtables lock is shared by all namespaces; wait for it rather than fail.
            await ProcessRunner.RunCheckedAsync("ip", ["netns", "exec", podNamespace, "iptables", "-w", "5", .. rule]);
        }
    }
}
