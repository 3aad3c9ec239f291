using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.Deploy.Cluster;
using Mesh.Deploy.Commands;
using Mesh.FakeKubeApi;
using Mesh.FakeKubeApi.Resources;
using Mesh.Tests.Shared;

namespace Mesh.Deploy.Tests.Support;

/// <summary>
/// The fake API server in process, with a kubeconfig pointing at it, and the cluster commands run as the CLI runs
/// them (their runners, with --kubeconfig): what they print, their exit code, and what the fake stored.
/// </summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly k8s.Kubernetes _client;

    private FakeCluster(FakeKubeApiServer api)
    {
        Api = api;
        Kubeconfig = api.WriteKubeconfig(Path.Combine(_dir.Path, "kubeconfig"));
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
    }

    public FakeKubeApiServer Api { get; }

    public string Kubeconfig { get; }

    /// <summary>A client of the fake, for the test's own reads and writes (as a controller or a user would make them).</summary>
    public IKubernetes Client => _client;

    /// <summary>The store's version: it moves with every write and only then.</summary>
    public long Writes => Api.Store.ResourceVersion;

    public static async Task<FakeCluster> StartAsync() => new(await FakeKubeApiServer.StartAsync());

    public ClusterArguments Arguments(TimeSpan? timeout = null) =>
        new(Kubeconfig, null, timeout ?? TestTime.Dilate(TimeSpan.FromSeconds(30)));

    public async Task<CommandRun> InstallAsync(string[]? sets = null, TimeSpan? timeout = null, string? meshName = null, string? ns = null)
    {
        var (output, error) = Writers();
        var exit = await InstallRunner.RunAsync(new InstallArguments(sets ?? [], meshName, ns), Arguments(timeout), output, error,
            new LineProgress(error), CancellationToken.None);
        return new CommandRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>Install while acting as the Deployment controller: the controllers become ready as soon as they are applied.</summary>
    public async Task<CommandRun> InstallReadyAsync(string[]? sets = null, string? meshName = null, string? ns = null)
    {
        await using var controller = DeploymentController.Start(this);
        var run = await InstallAsync(sets, meshName: meshName, ns: ns);
        Assert.True(run.Exit == 0, run.ToString());
        return run;
    }

    public async Task<CommandRun> UninstallAsync(bool deleteCrds = false, bool deleteNamespace = false, string? meshName = null, string? ns = null)
    {
        var (output, error) = Writers();
        var exit = await UninstallRunner.RunAsync(new InstallArguments([], meshName, ns), deleteCrds, deleteNamespace, Arguments(), output, error, CancellationToken.None);
        return new CommandRun(exit, output.ToString(), error.ToString());
    }

    public async Task<CommandRun> NamespaceAddAsync(string? meshName, params string[] namespaces)
    {
        var (output, error) = Writers();
        var exit = await NamespaceRunner.AddAsync(namespaces, meshName, Arguments(), output, error, CancellationToken.None);
        return new CommandRun(exit, output.ToString(), error.ToString());
    }

    public async Task<CommandRun> NamespaceRemoveAsync(string? meshName, params string[] namespaces)
    {
        var (output, error) = Writers();
        var exit = await NamespaceRunner.RemoveAsync(namespaces, meshName, Arguments(), output, error, CancellationToken.None);
        return new CommandRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>An object as the fake stores it, or null. <paramref name="groupResource"/>: <c>deployments.apps</c>, <c>secrets</c>.</summary>
    public JsonObject? Get(string groupResource, string? ns, string name)
    {
        var type = Api.Types.ByGroupResource(groupResource);
        return type is null ? null : Api.Store.Get(type, ns, name);
    }

    public void CreateNamespace(string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null) meta["labels"] = ToJson(labels);
        if (annotations is not null) meta["annotations"] = ToJson(annotations);
        Api.Store.Create(BuiltInTypes.Namespaces, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = meta });
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonObject o) => Strings(o["metadata"]?["labels"]);

    public static IReadOnlyDictionary<string, string> Annotations(JsonObject o) => Strings(o["metadata"]?["annotations"]);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Api.DisposeAsync();
        _dir.Dispose();
    }

    private static (StringWriter Output, StringWriter Error) Writers() => (new StringWriter { NewLine = "\n" }, new StringWriter { NewLine = "\n" });

    private static JsonObject ToJson(Dictionary<string, string> map) => new([.. map.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        (node as JsonObject)?.ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "") ?? [];

    /// <summary>
    /// Plays the Deployment controller (the fake has none): whenever a Deployment's status does not match its spec
    /// and generation, writes a status through the status subresource saying every replica is updated and ready.
    /// </summary>
    internal sealed class DeploymentController : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private DeploymentController(FakeCluster cluster) => _loop = RunAsync(cluster, _stop.Token);

        public static DeploymentController Start(FakeCluster cluster) => new(cluster);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
            _stop.Dispose();
        }

        private static async Task RunAsync(FakeCluster cluster, CancellationToken stop)
        {
            while (true)
            {
                var list = await cluster.Client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: stop);
                foreach (var d in list.Items)
                {
                    if (!RolloutStatus.Of(d).Done) await MarkReadyAsync(cluster.Client, d, stop);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(20), stop);
            }
        }
    }

    /// <summary>What the Deployment controller and kubelets report once every replica of the current spec is ready.</summary>
    public static Task MarkReadyAsync(IKubernetes client, V1Deployment d, CancellationToken cancellationToken = default)
    {
        var replicas = d.Spec.Replicas ?? 1;
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = d.Metadata.Generation,
                ["replicas"] = replicas,
                ["updatedReplicas"] = replicas,
                ["readyReplicas"] = replicas,
                ["availableReplicas"] = replicas,
            },
        };
        return client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch),
            d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }
}

/// <summary>One run of a command: exit code, stdout, stderr.</summary>
internal sealed record CommandRun(int Exit, string Output, string Error)
{
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {Exit}\n--- stdout\n{Output}--- stderr\n{Error}";
}
