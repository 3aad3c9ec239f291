using System.Text.Json.Nodes;
using k8s;
using Mesh.Control.Sources.Kubernetes;
using Mesh.FakeKubeApi;
using Mesh.FakeKubeApi.Patching;
using Mesh.FakeKubeApi.Resources;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;

namespace Mesh.Control.Tests.Kubernetes;

/// <summary>
/// A fake Kubernetes API server (in process, real HTTP) with Mesh's CRDs, the mesh's namespace and one enrolled
/// namespace (<c>curl</c>), and shortcuts to write objects as <c>kubectl</c> would: from manifest text, by merge patch,
/// by deletion.
/// </summary>
internal sealed class KubeWorld : IAsyncDisposable
{
    public const string MeshName = "mesh";

    private KubeWorld(FakeCluster cluster) => Cluster = cluster;

    public FakeCluster Cluster { get; }

    public FakeKubeApiServer Api => Cluster.Api;

    public static async Task<KubeWorld> StartAsync()
    {
        var world = new KubeWorld(await FakeCluster.StartAsync());
        world.Cluster.CreateNamespace("mesh-system");
        world.Enroll("curl");
        return world;
    }

    /// <summary>Real-time tests: short backoff and auth retry so recoveries happen quickly; stall and timeout bounds out of the way.</summary>
    public static ReflectorOptions Fast { get; } = new()
    {
        BackoffInitial = TimeSpan.FromMilliseconds(20),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        AuthRetryDelay = TimeSpan.FromMilliseconds(200),
        StallTimeout = TimeSpan.FromMinutes(10),
    };

    public KubernetesSourceOptions Options(bool writeStatus = true) => new()
    {
        Client = new KubernetesClientConfiguration { Host = Api.BaseAddress.ToString() },
        MeshName = MeshName,
        Reflector = Fast,
        WriteStatus = writeStatus,
        StatusRetryMin = TimeSpan.FromMilliseconds(50),
        StatusRetryMax = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Creates the namespace if needed and labels it as <c>osm namespace add</c> does.</summary>
    public void Enroll(string ns)
    {
        var type = Cluster.Type(MeshResourceCatalog.Namespaces);
        if (Api.Store.Get(type, null, ns) is null) Cluster.CreateNamespace(ns);
        Api.Store.Patch(type, null, ns, o => (JsonObject)global::Mesh.FakeKubeApi.Patching.MergePatch.Apply(o, Label(MeshName))!);
    }

    /// <summary>Removes the label (as <c>osm namespace remove</c> does); the namespace stays.</summary>
    public void Unenroll(string ns) =>
        Api.Store.Patch(Cluster.Type(MeshResourceCatalog.Namespaces), null, ns, o => (JsonObject)global::Mesh.FakeKubeApi.Patching.MergePatch.Apply(o, Label(null))!);

    private static JsonObject Label(string? mesh) =>
        new() { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [MeshResourceCatalog.MonitoredByLabel] = mesh } } };

    /// <summary>Creates the object a manifest describes (its apiVersion and kind pick the resource), as <c>kubectl create</c>.</summary>
    public JsonObject Create(string manifest)
    {
        var o = YamlJson.ParseObject(manifest);
        var type = TypeOf(o);
        var ns = (string?)o["metadata"]?["namespace"];
        if (ns is not null && Api.Store.Get(Cluster.Type(MeshResourceCatalog.Namespaces), null, ns) is null) Cluster.CreateNamespace(ns);
        return Api.Store.Create(type, ns, o);
    }

    /// <summary>Replaces the spec with the manifest's, as <c>kubectl apply</c> of a changed file.</summary>
    public JsonObject Update(string manifest)
    {
        var o = YamlJson.ParseObject(manifest);
        var meta = o["metadata"]!;
        return Api.Store.Patch(TypeOf(o), (string?)meta["namespace"], (string)meta["name"]!, current =>
        {
            current["spec"] = o["spec"]!.DeepClone();
            return current;
        });
    }

    public JsonObject MergePatch(ApiResource resource, string ns, string name, string patch) =>
        Cluster.MergePatch(resource, ns, name, (JsonObject)JsonNode.Parse(patch)!);

    public JsonObject Delete(ApiResource resource, string ns, string name) => Cluster.Delete(resource, ns, name);

    public JsonObject? Get(ApiResource resource, string ns, string name) => Api.Store.Get(Cluster.Type(resource), ns, name);

    /// <summary>An Egress's status condition of a type, or null.</summary>
    public JsonObject? Condition(string ns, string name, string type, ApiResource? resource = null) =>
        (Get(resource ?? MeshResourceCatalog.OsmEgress, ns, name)?["status"]?["conditions"] as JsonArray)?
            .OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>Reads of an object's status subresource (the writer reads before it patches).</summary>
    public int StatusReads => Api.Requests.Snapshot().Count(r => r.Method == "GET" && r.Path.EndsWith("/status", StringComparison.Ordinal));

    public int StatusPatches => Api.Requests.Where("patch", "egresses").Count;

    private ResourceType TypeOf(JsonObject o) =>
        Api.Types.FindByKind((string)o["apiVersion"]!, (string)o["kind"]!) ?? throw new InvalidOperationException($"{o["apiVersion"]} {o["kind"]} is not served");

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
