using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// <c>deploy/sidecar-init.sh</c>, run in a scratch network namespace of its own: it installs the same interception for
/// IPv4 and IPv6, may run twice, and fails closed when a family's tool is missing on a kernel with that family.
/// </summary>
public sealed class SidecarInitTests : IAsyncLifetime
{
    private readonly string _namespace = $"mesh-e2e-init-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly string _toolsOnlyIptables = Directory.CreateTempSubdirectory("mesh-init-path-").FullName;

    private static string Script => Path.Combine(RepoPaths.Root, "deploy", "sidecar-init.sh");

    public async Task InitializeAsync()
    {
        await ProcessRunner.RunCheckedAsync("ip", "netns", "add", _namespace);
        var iptables = (await ProcessRunner.RunCheckedAsync("sh", "-c", "command -v iptables")).Stdout.Trim();
        File.CreateSymbolicLink(Path.Combine(_toolsOnlyIptables, "iptables"), iptables);
    }

    public async Task DisposeAsync()
    {
        await ProcessRunner.RunAsync("ip", ["netns", "del", _namespace]);
        Directory.Delete(_toolsOnlyIptables, recursive: true);
    }

    [Fact(Timeout = 60_000)]
    public async Task It_redirects_both_families_to_the_outbound_port_and_running_it_twice_changes_nothing()
    {
        foreach (var _ in new[] { 1, 2 })
        {
            var run = await InNamespaceAsync("env", "MESH_EXCLUDE_CIDRS=10.0.0.0/8 fd00:1::/64", "sh", Script);
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        foreach (var (tool, loopback, excluded) in new[] { ("iptables", "127.0.0.0/8", "10.0.0.0/8"), ("ip6tables", "::1/128", "fd00:1::/64") })
        {
            var chain = (await InNamespaceAsync(tool, "-t", "nat", "-S", "MESH_OUTBOUND")).Stdout;
            Assert.Contains("--uid-owner 1500 -j RETURN", chain, StringComparison.Ordinal);
            Assert.Contains($"-d {loopback} -j RETURN", chain, StringComparison.Ordinal);
            Assert.Contains($"-d {excluded} -j RETURN", chain, StringComparison.Ordinal);
            Assert.Contains("-j REDIRECT --to-ports 15001", chain, StringComparison.Ordinal);
            Assert.Equal(1, chain.Split('\n').Count(l => l.Contains("REDIRECT", StringComparison.Ordinal))); // flushed, not appended twice
            var output = (await InNamespaceAsync(tool, "-t", "nat", "-S", "OUTPUT")).Stdout;
            Assert.Equal(1, output.Split('\n').Count(l => l.Contains("-j MESH_OUTBOUND", StringComparison.Ordinal)));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_ip6tables_on_an_ipv6_kernel_it_fails_instead_of_leaving_ipv6_unintercepted()
    {
        Assert.True(File.Exists("/proc/net/if_inet6"), "this test needs a kernel with IPv6");
        var run = await InNamespaceAsync("env", $"PATH={_toolsOnlyIptables}", "/bin/sh", Script);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("ip6tables is missing", run.Stderr, StringComparison.Ordinal);
    }

    private Task<CommandResult> InNamespaceAsync(params string[] command) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", _namespace, .. command]);
}
