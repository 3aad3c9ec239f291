using System.Text.Json.Nodes;
using k8s;
using Mesh.FakeKubeApi;
using Mesh.FakeKubeApi.Resources;
using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Tests.Support;

/// <summary>A fake API server with Mesh's CRDs installed, a client for it, and shortcuts to write objects.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private readonly List<IKubernetes> _clients = [];

    private FakeCluster(FakeKubeApiServer api) => Api = api;

    public FakeKubeApiServer Api { get; }

    public static async Task<FakeCluster> StartAsync(FakeKubeApiOptions? options = null, bool installCrds = true)
    {
        var api = await FakeKubeApiServer.StartAsync(options);
        if (installCrds) Crds.InstallMesh(api);
        return new FakeCluster(api);
    }

    public IKubernetes Client(string? token = null)
    {
        var config = new KubernetesClientConfiguration { Host = Api.BaseAddress.ToString(), AccessToken = token };
        var client = new k8s.Kubernetes(config);
        _clients.Add(client);
        return client;
    }

    public ResourceType Type(ApiResource r) =>
        Api.Types.ByGroupResource(r.Name) ?? throw new InvalidOperationException($"{r.Name} is not served");

    public JsonObject Create(ApiResource r, string ns, string name, JsonObject? spec = null, IDictionary<string, string>? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (r.Namespaced) meta["namespace"] = ns;
        if (labels is not null) meta["labels"] = new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        var o = new JsonObject { ["apiVersion"] = r.ApiVersion(r.Versions[0]), ["kind"] = r.Kind, ["metadata"] = meta };
        if (spec is not null) o["spec"] = spec;
        return Api.Store.Create(Type(r), r.Namespaced ? ns : null, o);
    }

    public JsonObject CreateNamespace(string name, IDictionary<string, string>? labels = null) =>
        Create(MeshResourceCatalog.Namespaces, "", name, labels: labels);

    public JsonObject MergePatch(ApiResource r, string ns, string name, JsonObject patch) =>
        Api.Store.Patch(Type(r), r.Namespaced ? ns : null, name, current => (JsonObject)FakeKubeApi.Patching.MergePatch.Apply(current, patch)!);

    public JsonObject Delete(ApiResource r, string ns, string name) => Api.Store.Delete(Type(r), r.Namespaced ? ns : null, name);

    public static JsonObject EgressSpec(string protocol = "http", int port = 80, string host = "httpbin.org") => new()
    {
        ["sources"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "curl", ["namespace"] = "curl" }),
        ["hosts"] = new JsonArray(host),
        ["ports"] = new JsonArray(new JsonObject { ["number"] = port, ["protocol"] = protocol }),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        await Api.DisposeAsync();
    }
}
