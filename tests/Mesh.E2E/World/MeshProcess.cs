namespace Mesh.E2E.World;

/// <summary>
/// `mesh run` inside the pod namespace as the proxy's uid, the way a sidecar runs. Started only once its admin
/// endpoint answers /ready; its output is kept for failure messages.
/// </summary>
public sealed class MeshProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(20);
    private readonly BackgroundProcess _process;
    private readonly string _podNamespace;

    private MeshProcess(BackgroundProcess process, string podNamespace)
    {
        _process = process;
        _podNamespace = podNamespace;
    }

    public string RecentOutput => _process.RecentOutput;

    /// <summary>The decision log among its recent output (stdout: one JSON object per connection or request).</summary>
    public IReadOnlyList<DecisionLogEntry> RecentDecisions =>
        [.. _process.RecentLines.Select(DecisionLogEntry.TryParse).OfType<DecisionLogEntry>()];

    internal static async Task<MeshProcess> StartAsync(
        string podNamespace, IEnumerable<string> proxyUserPrefix, string meshDll, ManifestDirectory manifests, string identity, string workingDirectory)
    {
        var process = BackgroundProcess.Start("ip",
        [
            "netns", "exec", podNamespace, .. proxyUserPrefix,
            Prerequisites.Which("dotnet")!, meshDll, "run", "--manifests", manifests.Path, "--identity", identity,
        ], workingDirectory);
        var mesh = new MeshProcess(process, podNamespace);
        try
        {
            await mesh.WaitUntilReadyAsync();
            return mesh;
        }
        catch
        {
            await mesh.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET on the admin listener (127.0.0.1:15000 in the pod; loopback is never intercepted).</summary>
    public Task<CommandResult> AdminGetAsync(string path) =>
        ProcessRunner.RunAsync("ip",
        [
            "netns", "exec", _podNamespace, "curl", "-s", "--max-time", "2",
            $"http://127.0.0.1:{WorldAddresses.AdminPort}{path}",
        ]);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyLimit;
        CommandResult? last = null;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            last = await ProcessRunner.RunAsync("ip",
            [
                "netns", "exec", _podNamespace, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1",
                $"http://127.0.0.1:{WorldAddresses.AdminPort}/ready",
            ]);
            if (last.Stdout == "200") return;
            await Task.Delay(200);
        }

        var why = _process.HasExited ? "exited before it was ready" : $"was not ready within {ReadyLimit}";
        throw new InvalidOperationException($"mesh run {why}; last /ready probe: {last}\n{RecentOutput}");
    }
}
