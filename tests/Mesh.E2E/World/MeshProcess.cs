namespace Mesh.E2E.World;

/// <summary>
/// A `mesh` process inside the pod namespace as the proxy's uid, the way a sidecar runs: `mesh run`, a `mesh proxy`,
/// or a `mesh controller` beside them. Started only once its admin endpoint answers /ready; its output is kept for
/// failure messages.
/// </summary>
public sealed class MeshProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyLimit = TestTime.Dilate(TimeSpan.FromSeconds(20));
    private readonly BackgroundProcess _process;
    private readonly string _podNamespace;
    private readonly int _adminPort;

    private MeshProcess(BackgroundProcess process, string podNamespace, int adminPort)
    {
        _process = process;
        _podNamespace = podNamespace;
        _adminPort = adminPort;
    }

    public bool HasExited => _process.HasExited;

    public string RecentOutput => _process.RecentOutput;

    /// <summary>The decision log among its recent output (stdout: one JSON object per connection or request).</summary>
    public IReadOnlyList<DecisionLogEntry> RecentDecisions =>
        [.. _process.RecentLines.Select(DecisionLogEntry.TryParse).OfType<DecisionLogEntry>()];

    /// <param name="arguments">The command and its flags, e.g. <c>run --manifests DIR --identity NS/SA</c>.</param>
    internal static async Task<MeshProcess> StartAsync(string podNamespace, IEnumerable<string> proxyUserPrefix, string meshDll,
        IEnumerable<string> arguments, string workingDirectory, int adminPort = WorldAddresses.AdminPort)
    {
        var process = BackgroundProcess.Start("ip",
        [
            "netns", "exec", podNamespace, .. proxyUserPrefix, Prerequisites.Which("dotnet")!, meshDll, .. arguments,
        ], workingDirectory);
        var mesh = new MeshProcess(process, podNamespace, adminPort);
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
            $"http://127.0.0.1:{_adminPort}{path}",
        ]);

    /// <summary>
    /// SIGKILL: gone at once, without a word to anyone (a crashed controller, an evicted pod). `ip netns exec`, setpriv
    /// and env each exec the next, so the process started is the dotnet process itself.
    /// </summary>
    public async Task KillAsync()
    {
        await ProcessRunner.RunCheckedAsync("kill", "-KILL", $"{_process.Id}");
        await _process.DisposeAsync();
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>How many descriptors the process has open.</summary>
    public int OpenFiles => Directory.GetFiles($"/proc/{_process.Id}/fd").Length;

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyLimit;
        CommandResult? last = null;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            last = await ProcessRunner.RunAsync("ip",
            [
                "netns", "exec", _podNamespace, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1",
                $"http://127.0.0.1:{_adminPort}/ready",
            ]);
            if (last.Stdout == "200") return;
            await Task.Delay(200);
        }

        var why = _process.HasExited ? "exited before it was ready" : $"was not ready within {ReadyLimit}";
        throw new InvalidOperationException($"mesh {why}; last /ready probe: {last}\n{RecentOutput}");
    }
}
