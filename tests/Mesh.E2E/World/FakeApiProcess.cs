namespace Mesh.E2E.World;

/// <summary>
/// The fake Kubernetes API server (tests/Mesh.FakeKubeApi) as a separate process in the pod namespace, on
/// 127.0.0.1 and a free port, with its journal and kubeconfig in a world-readable directory (the controller runs as
/// uid 1500). Objects are written as kubectl would write them, over HTTP from inside the namespace: server-side apply,
/// merge patch, delete.
/// </summary>
public sealed class FakeApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);
    private readonly BackgroundProcess _process;
    private readonly string _namespace;

    private FakeApiProcess(BackgroundProcess process, string ns, string directory, int port)
    {
        _process = process;
        _namespace = ns;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>A kubeconfig (context <c>fake</c>) pointing at this server, readable by the proxy's uid.</summary>
    public string KubeconfigPath => Path.Combine(Directory, "kubeconfig");

    public string RecentOutput => _process.RecentOutput;

    internal static async Task<FakeApiProcess> StartAsync(string podNamespace, string directory)
    {
        System.IO.Directory.CreateDirectory(directory, ManifestDirectory.WorldReadableDirectory);
        var dll = RepoPaths.FakeKubeApiDll;
        if (!File.Exists(dll)) throw new InvalidOperationException($"the fake API server is not built at {dll}: run `dotnet build tests/Mesh.FakeKubeApi -c {RepoPaths.Configuration}`");
        var process = BackgroundProcess.Start("ip",
            ["netns", "exec", podNamespace, Prerequisites.Which("dotnet")!, dll, "--listen", "127.0.0.1:0", "--state", directory, "--print-port", "--bookmark-interval", "5"]);
        try
        {
            await process.WaitForLineAsync("fake Kubernetes API server listening on", StartLimit);
            var port = int.Parse((await File.ReadAllTextAsync(Path.Combine(directory, "port"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            File.SetUnixFileMode(Path.Combine(directory, "kubeconfig"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return new FakeApiProcess(process, podNamespace, directory, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Server-side apply of a YAML (or JSON) document at its path, as <c>kubectl apply --server-side</c>: creates or merges.</summary>
    public Task<CommandResult> ApplyAsync(string path, string document) =>
        SendAsync("PATCH", $"{path}?fieldManager=e2e", "application/apply-patch+yaml", document);

    /// <summary>A JSON merge patch, as <c>kubectl patch --type=merge -p '...'</c>.</summary>
    public Task<CommandResult> MergePatchAsync(string path, string patch) => SendAsync("PATCH", path, "application/merge-patch+json", patch);

    public Task<CommandResult> DeleteAsync(string path) => SendAsync("DELETE", path, null, null);

    public Task<CommandResult> GetAsync(string path) => SendAsync("GET", path, null, null);

    public static string EgressPath(string ns, string name) => $"/apis/policy.openservicemesh.io/v1alpha1/namespaces/{ns}/egresses/{name}";

    public static string MeshConfigPath(string ns, string name) => $"/apis/config.openservicemesh.io/v1alpha2/namespaces/{ns}/meshconfigs/{name}";

    public static string NamespacePath(string name) => $"/api/v1/namespaces/{name}";

    public static string CrdPath(string name) => $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}";

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task<CommandResult> SendAsync(string method, string path, string? contentType, string? body)
    {
        string? file = null;
        string[] args = ["netns", "exec", _namespace, "curl", "-sS", "--max-time", "5", "-X", method, "-w", "\n%{http_code}"];
        if (body is not null)
        {
            file = Path.Combine(Directory, $"request-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(file, body);
            args = [.. args, "-H", $"Content-Type: {contentType}", "--data-binary", $"@{file}"];
        }
        try
        {
            var result = await ProcessRunner.RunAsync("ip", [.. args, $"http://127.0.0.1:{Port}{path}"]);
            var status = result.Stdout.TrimEnd().Split('\n')[^1];
            if (result.ExitCode != 0 || !status.StartsWith('2'))
            {
                throw new InvalidOperationException($"{method} {path} failed (HTTP {status}): {result}\n{RecentOutput}");
            }
            return result;
        }
        finally
        {
            if (file is not null) File.Delete(file);
        }
    }
}
