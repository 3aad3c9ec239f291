using System.Globalization;
using System.Text;
using Mesh.E2E.World;

namespace Mesh.E2E.Deploy;

/// <summary>
/// A second "pod" network namespace joined to the world's internet namespace by a veth pair of its own
/// (198.18.1.1/24 and fd00:198:19::1/64; the internet side gets .2 / ::2), with no interception until a test installs
/// it. The world's own pod and its rules stay untouched. Its name follows the world's scheme, so a crashed run's
/// leftover is swept like the world's.
/// </summary>
public sealed class ScratchPod : IAsyncDisposable
{
    public const string Address = "198.18.1.1";
    public const string Gateway = "198.18.1.2";
    public const string Address6 = "fd00:198:19::1";
    public const string Gateway6 = "fd00:198:19::2";
    private const string PodLink = "veth-spod";
    private const string InternetLink = "veth-snet";

    private ScratchPod(string name) => Name = name;

    public string Name { get; }

    public static async Task<ScratchPod> CreateAsync(TestWorld world)
    {
        var pod = new ScratchPod($"{WorldNames.Prefix}{world.Names.Pid.ToString(CultureInfo.InvariantCulture)}-spod");
        try
        {
            var net = world.Names.InternetNamespace;
            await Ip("netns", "add", pod.Name);
            await Ip("-n", pod.Name, "link", "add", PodLink, "type", "veth", "peer", "name", InternetLink, "netns", net);
            await Ip("-n", pod.Name, "addr", "add", $"{Address}/24", "dev", PodLink);
            await Ip("-n", net, "addr", "add", $"{Gateway}/24", "dev", InternetLink);
            await Ip("-n", pod.Name, "-6", "addr", "add", $"{Address6}/64", "dev", PodLink, "nodad");
            await Ip("-n", net, "-6", "addr", "add", $"{Gateway6}/64", "dev", InternetLink, "nodad");
            await Ip("-n", pod.Name, "link", "set", "lo", "up");
            await Ip("-n", pod.Name, "link", "set", PodLink, "up");
            await Ip("-n", net, "link", "set", InternetLink, "up");
            await Ip("-n", pod.Name, "route", "add", "default", "via", Gateway);
            await Ip("-n", pod.Name, "-6", "route", "add", "default", "via", Gateway6);

            // Same names as the world's pod; `ip netns exec` bind-mounts these over /etc.
            var etc = Path.Combine("/etc/netns", pod.Name);
            Directory.CreateDirectory(etc);
            var hosts = new StringBuilder("127.0.0.1 localhost\n");
            foreach (var (name, address) in WorldAddresses.Hosts) hosts.Append(CultureInfo.InvariantCulture, $"{address} {name}\n");
            await File.WriteAllTextAsync(Path.Combine(etc, "hosts"), hosts.ToString());
            await File.WriteAllTextAsync(Path.Combine(etc, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
            return pod;
        }
        catch
        {
            await pod.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside the namespace (as root unless the command itself changes user).</summary>
    public Task<CommandResult> RunAsync(params string[] command) => ProcessRunner.RunAsync("ip", ["netns", "exec", Name, .. command]);

    /// <summary>curl from this pod as root (intercepted as the rules say), trusting the world's CA, at most 5 s.</summary>
    public Task<CommandResult> CurlAsync(TestWorld world, params string[] args) =>
        RunAsync(["curl", "--max-time", "5", "--cacert", world.CaCertificatePath, .. args]);

    /// <summary>curl as the proxy's uid: never intercepted, so it shows what the network itself lets through.</summary>
    public Task<CommandResult> CurlAsProxyUserAsync(TestWorld world, params string[] args) =>
        RunAsync([.. TestWorld.ProxyUserPrefix, "curl", "--max-time", "5", "--cacert", world.CaCertificatePath, .. args]);

    /// <summary>The origin's server-first probe (banner, then one echo): exit 0 when it got both.</summary>
    public Task<CommandResult> ProbeServerFirstAsync(TestWorld world, string hostPort) =>
        RunAsync(Prerequisites.Which("dotnet")!, world.Binaries.OriginDll, "--probe", hostPort, "--timeout-ms", "2000");

    public async ValueTask DisposeAsync()
    {
        await WorldNetwork.DestroyAsync(Name); // kills what runs inside; the veth pair goes with the namespace
    }

    private static Task<CommandResult> Ip(params string[] arguments) => ProcessRunner.RunCheckedAsync("ip", arguments);
}
