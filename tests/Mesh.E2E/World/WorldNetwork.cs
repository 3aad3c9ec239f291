using System.Globalization;
using System.Text;

namespace Mesh.E2E.World;

/// <summary>
/// Two network namespaces joined by a veth pair: the "pod" (198.18.0.1 and fd00:198:18::1, default routes into the
/// internet) and the "internet" (one IPv4 and one IPv6 address per origin name). The veth is created inside the
/// pod namespace and its peer moved straight into the internet one, so the host's own namespace never gets an
/// interface.
/// </summary>
public static class WorldNetwork
{
    private const string PodLink = "veth-pod";
    private const string InternetLink = "veth-net";

    public static async Task CreateAsync(WorldNames names)
    {
        string pod = names.PodNamespace, net = names.InternetNamespace;
        await Ip("netns", "add", pod);
        await Ip("netns", "add", net);
        await Ip("-n", pod, "link", "add", PodLink, "type", "veth", "peer", "name", InternetLink, "netns", net);
        await Ip("-n", pod, "addr", "add", $"{WorldAddresses.Pod}/{WorldAddresses.PrefixLength}", "dev", PodLink);
        foreach (var (_, address) in WorldAddresses.Hosts)
        {
            await Ip("-n", net, "addr", "add", $"{address}/{WorldAddresses.PrefixLength}", "dev", InternetLink);
        }

        // nodad: usable at once. With duplicate address detection the addresses stay "tentative" for a second or
        // two, and the origin could not bind them nor the pod connect from its own.
        await Ip("-n", pod, "-6", "addr", "add", $"{WorldAddresses.Pod6}/{WorldAddresses.PrefixLength6}", "dev", PodLink, "nodad");
        foreach (var (_, address) in WorldAddresses.Hosts6)
        {
            await Ip("-n", net, "-6", "addr", "add", $"{address}/{WorldAddresses.PrefixLength6}", "dev", InternetLink, "nodad");
        }

        foreach (var (ns, link) in new[] { (pod, PodLink), (net, InternetLink) })
        {
            await Ip("-n", ns, "link", "set", "lo", "up");
            await Ip("-n", ns, "link", "set", link, "up");
        }

        await Ip("-n", pod, "route", "add", "default", "via", WorldAddresses.HttpbinOrg);
        await Ip("-n", pod, "-6", "route", "add", "default", "via", WorldAddresses.HttpbinOrg6);
        WriteResolverFiles(pod);
        WriteResolverFiles(net);
    }

    /// <summary>Deletes a namespace (its veth goes with it) after killing whatever still runs inside.</summary>
    public static async Task DestroyAsync(string ns)
    {
        var pids = await ProcessRunner.RunAsync("ip", ["netns", "pids", ns]);
        foreach (var line in pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                KillQuietly(pid);
            }
        }

        await ProcessRunner.RunAsync("ip", ["netns", "del", ns]);
        var etc = EtcDirectory(ns);
        if (Directory.Exists(etc)) Directory.Delete(etc, recursive: true);
    }

    /// <summary>Removes namespaces and scratch directories of earlier runs whose test host is gone.</summary>
    public static async Task SweepStaleAsync()
    {
        var list = await ProcessRunner.RunCheckedAsync("ip", "netns", "list");
        var stale = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2)[0])
            .Where(IsStale);
        foreach (var ns in stale)
        {
            await DestroyAsync(ns);
        }

        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), WorldNames.Prefix + "*").Where(d => IsStale(Path.GetFileName(d))))
        {
            Directory.Delete(dir, recursive: true);
        }

        foreach (var dir in Directory.Exists("/etc/netns")
                     ? Directory.EnumerateDirectories("/etc/netns", WorldNames.Prefix + "*").Where(d => IsStale(Path.GetFileName(d)))
                     : [])
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// `ip netns exec` bind-mounts /etc/netns/&lt;ns&gt;/* over /etc, so these become the namespace's /etc/hosts
    /// and /etc/resolv.conf. The resolver points at loopback: a name missing from hosts fails locally instead
    /// of sending a query anywhere.
    /// </summary>
    private static void WriteResolverFiles(string ns)
    {
        var etc = EtcDirectory(ns);
        Directory.CreateDirectory(etc);
        var hosts = new StringBuilder("127.0.0.1 localhost\n");
        foreach (var (name, address) in WorldAddresses.Hosts)
        {
            hosts.Append(CultureInfo.InvariantCulture, $"{address} {name}\n");
        }

        File.WriteAllText(Path.Combine(etc, "hosts"), hosts.ToString());
        File.WriteAllText(Path.Combine(etc, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    }

    private static string EtcDirectory(string ns) => Path.Combine("/etc/netns", ns);

    private static bool IsStale(string name) =>
        WorldNames.OwnerPid(name) is { } pid && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}");

    private static void KillQuietly(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    private static Task<CommandResult> Ip(params string[] arguments) => ProcessRunner.RunCheckedAsync("ip", arguments);
}
