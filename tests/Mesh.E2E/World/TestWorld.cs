namespace Mesh.E2E.World;

/// <summary>
/// The end-to-end world, built once per test run: a pod namespace with the sidecar's interception rules, an
/// internet namespace running the origins, and helpers to act from the pod. Torn down even when tests fail;
/// leftovers of crashed runs are swept first.
/// </summary>
public sealed class TestWorld : IAsyncLifetime
{
    private static readonly TimeSpan OriginStartLimit = TimeSpan.FromSeconds(30);
    private readonly List<IAsyncDisposable> _running = [];
    private int _manifestDirectories;
    private int _fakeApis;
    private bool _teardownNeeded;

    public WorldNames Names { get; } = new(Environment.ProcessId);

    public string CaCertificatePath => Path.Combine(Names.Directory, "ca.pem");

    public OriginLog OriginLog { get; private set; } = null!;

    public BackgroundProcess Origin { get; private set; } = null!;

    /// <summary>
    /// The working directory `mesh` starts in: one inside a directory only root may enter, so the proxy's uid cannot
    /// even see it. A sidecar does not choose its working directory (a clone in root's home once made every
    /// `mesh run` fail at start), so nothing may depend on it.
    /// </summary>
    public string RootOnlyDirectory => Path.Combine(Names.Directory, "root-only", "cwd");

    /// <summary>The mesh CLI and the origin, staged where the proxy's uid can read them.</summary>
    public StagedBinaries Binaries { get; private set; } = null!;

    /// <summary>Runs a command as the proxy's user, uid 1500, which the interception rules let through.</summary>
    public static IReadOnlyList<string> ProxyUserPrefix { get; } =
    [
        "setpriv", "--reuid", $"{WorldAddresses.ProxyUid}", "--regid", $"{WorldAddresses.ProxyUid}", "--clear-groups",
        "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp", "DOTNET_NOLOGO=1",
    ];

    public async Task InitializeAsync()
    {
        Prerequisites.Require();
        await WorldNetwork.SweepStaleAsync();
        try
        {
            Directory.CreateDirectory(Names.Directory, ManifestDirectory.WorldReadableDirectory);
            _teardownNeeded = true; // from here on, a failure may leave half a world behind
            Directory.CreateDirectory(Path.GetDirectoryName(RootOnlyDirectory)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(RootOnlyDirectory);
            Binaries = await StagedBinaries.StageAsync(Path.Combine(Names.Directory, "bin"), RepoPaths.MeshDll, RepoPaths.OriginDll);
            await WorldNetwork.CreateAsync(Names);
            await PodInterception.InstallAsync(Names.PodNamespace);
            var logPath = Path.Combine(Names.Directory, "origin.log");
            Origin = await StartOriginAsync(Names.InternetNamespace, logPath,
            [
                "--ca-out", CaCertificatePath,
                "--http", "0.0.0.0:80", "--https", "0.0.0.0:443", "--server-first", $"0.0.0.0:{WorldAddresses.ServerFirstPort}",
                // Each IPv6 address on its own: a [::] listener would take the IPv4 ports too (dual mode).
                .. WorldAddresses.Hosts6.SelectMany(host => new[] { "--http", $"[{host.Address}]:80", "--https", $"[{host.Address}]:443" }),
                .. WorldAddresses.Hosts.SelectMany(host => new[] { "--name", host.Name }),
            ]);
            OriginLog = new OriginLog(logPath);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var running in Enumerable.Reverse(_running))
        {
            await running.DisposeAsync();
        }

        _running.Clear();
        if (_teardownNeeded)
        {
            _teardownNeeded = false;
            await WorldNetwork.DestroyAsync(Names.PodNamespace);
            await WorldNetwork.DestroyAsync(Names.InternetNamespace);
            if (Directory.Exists(Names.Directory)) Directory.Delete(Names.Directory, recursive: true);
        }
    }

    /// <summary>curl from the pod as root: intercepted. Trusts the run's CA; never runs longer than 5 s.</summary>
    public Task<CommandResult> PodCurlAsync(params string[] args) =>
        InNamespaceAsync(Names.PodNamespace, [.. CurlWithDefaults(args)]);

    /// <summary>curl from the pod as uid 1500: bypasses interception, straight to the internet.</summary>
    public Task<CommandResult> PodCurlAsProxyUserAsync(params string[] args) =>
        InNamespaceAsync(Names.PodNamespace, [.. ProxyUserPrefix, .. CurlWithDefaults(args)]);

    /// <summary>curl from inside the internet namespace, next to the origins.</summary>
    public Task<CommandResult> InternetCurlAsync(params string[] args) =>
        InNamespaceAsync(Names.InternetNamespace, [.. CurlWithDefaults(args)]);

    /// <summary>
    /// The origin's server-first client from the pod: waits for the banner without sending first, then one echo.
    /// Exit codes as curl's: 0 banner and echo, 7 refused, 28 timeout, 56 reset or closed.
    /// </summary>
    public Task<CommandResult> PodProbeServerFirstAsync(string hostPort, bool asProxyUser = false, int timeoutMs = 2000) =>
        InNamespaceAsync(Names.PodNamespace,
        [
            .. asProxyUser ? ProxyUserPrefix : [],
            Prerequisites.Which("dotnet")!, Binaries.OriginDll, "--probe", hostPort, "--timeout-ms", $"{timeoutMs}",
        ]);

    /// <summary>A fresh, empty directory for one proxy to watch.</summary>
    public ManifestDirectory CreateManifestDirectory()
    {
        var n = Interlocked.Increment(ref _manifestDirectories);
        return new ManifestDirectory(Path.Combine(Names.Directory, $"manifests-{n}"), Path.Combine(Names.Directory, "staging"));
    }

    /// <summary>
    /// Starts `mesh run` in the pod as uid 1500; returns once /ready answers 200. Dispose to stop it. With
    /// <paramref name="openFilesLimit"/>, under that limit on its descriptors (as a container's would be).
    /// </summary>
    public async Task<MeshProcess> StartMeshAsync(ManifestDirectory manifests, string identity = "curl/curl", int? openFilesLimit = null)
    {
        IReadOnlyList<string> prefix = openFilesLimit is { } limit ? ["prlimit", $"--nofile={limit}", "--", .. ProxyUserPrefix] : ProxyUserPrefix;
        var mesh = await MeshProcess.StartAsync(Names.PodNamespace, prefix, Binaries.MeshDll,
            ["run", "--manifests", manifests.Path, "--identity", identity], RootOnlyDirectory);
        _running.Add(mesh);
        return mesh;
    }

    /// <summary>
    /// Starts a `mesh controller` in the pod as uid 1500 (its cluster port on 127.0.0.1, which interception never takes);
    /// returns once /ready answers 200: its manifests read and published, and Up in the controller cluster.
    /// </summary>
    public async Task<MeshProcess> StartControllerAsync(ManifestDirectory manifests, int clusterPort, int adminPort, IEnumerable<int> seedPorts)
    {
        var controller = await MeshProcess.StartAsync(Names.PodNamespace, ProxyUserPrefix, Binaries.MeshDll,
        [
            "controller", "--manifests", manifests.Path, "--cluster-port", $"{clusterPort}", "--admin", $"127.0.0.1:{adminPort}",
            "--seed-nodes", string.Join(",", seedPorts.Select(p => $"127.0.0.1:{p}")),
        ], RootOnlyDirectory, adminPort);
        _running.Add(controller);
        return controller;
    }

    /// <summary>
    /// Starts the fake Kubernetes API server as its own process in the pod namespace (as root, on 127.0.0.1, which
    /// interception never takes), with its state and kubeconfig in a directory of the run; stopped with the world.
    /// </summary>
    public async Task<FakeApiProcess> StartFakeApiAsync()
    {
        var n = Interlocked.Increment(ref _fakeApis);
        var api = await FakeApiProcess.StartAsync(Names.PodNamespace, Path.Combine(Names.Directory, $"fake-api-{n}"));
        _running.Add(api);
        return api;
    }

    /// <summary>
    /// Starts `mesh controller --kubernetes` in the pod as uid 1500, reading the API server of a kubeconfig; returns once
    /// /ready answers 200: every kind listed and published, and Up in the controller cluster.
    /// </summary>
    public async Task<MeshProcess> StartKubernetesControllerAsync(string kubeconfig, int clusterPort, int adminPort)
    {
        var controller = await MeshProcess.StartAsync(Names.PodNamespace, ProxyUserPrefix, Binaries.MeshDll,
        [
            "controller", "--kubernetes", "--kubeconfig", kubeconfig, "--cluster-port", $"{clusterPort}", "--admin", $"127.0.0.1:{adminPort}",
            "--seed-nodes", $"127.0.0.1:{clusterPort}",
        ], RootOnlyDirectory, adminPort);
        _running.Add(controller);
        return controller;
    }

    /// <summary>Starts a `mesh proxy` in the pod as uid 1500, fed by the controllers; returns once it has its snapshot.</summary>
    /// <param name="settings">HOCON lines for the proxy's configuration file (e.g. a shorter re-watch interval).</param>
    public async Task<MeshProcess> StartProxyAsync(IEnumerable<int> controllerPorts, string identity = "curl/curl", string settings = "")
    {
        var config = Path.Combine(Names.Directory, $"proxy-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, settings);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var proxy = await MeshProcess.StartAsync(Names.PodNamespace, ProxyUserPrefix, Binaries.MeshDll,
        [
            "proxy", "--config", config, "--identity", identity, "--controllers", string.Join(",", controllerPorts.Select(p => $"127.0.0.1:{p}")),
        ], RootOnlyDirectory);
        _running.Add(proxy);
        return proxy;
    }

    /// <summary>Starts another origin (e.g. a stand-in listener inside the pod); stopped with the world at the latest.</summary>
    public async Task<BackgroundProcess> StartOriginAsync(string ns, string logPath, IEnumerable<string> listeners)
    {
        var origin = BackgroundProcess.Start("ip",
            ["netns", "exec", ns, Prerequisites.Which("dotnet")!, Binaries.OriginDll, "--log", logPath, .. listeners]);
        _running.Add(origin);
        await origin.WaitForLineAsync("origin: ready", OriginStartLimit);
        return origin;
    }

    private string[] CurlWithDefaults(string[] args) =>
        ["curl", "--max-time", "5", "--cacert", CaCertificatePath, .. args];

    /// <summary>
    /// A TCP connection from the pod as root (intercepted) to <paramref name="host"/>:<paramref name="port"/>, held open
    /// for <paramref name="hold"/> without a byte sent, then closed: bash's /dev/tcp.
    /// </summary>
    public Task<CommandResult> PodHoldConnectionAsync(string host, int port, TimeSpan hold) =>
        InNamespaceAsync(Names.PodNamespace, ["bash", "-c", $"exec 3<>/dev/tcp/{host}/{port} && sleep {hold.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]);

    private static Task<CommandResult> InNamespaceAsync(string ns, string[] command) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", ns, .. command]);
}
