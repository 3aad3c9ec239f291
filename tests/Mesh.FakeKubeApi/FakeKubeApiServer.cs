using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Faults;
using Mesh.FakeKubeApi.Http;
using Mesh.FakeKubeApi.Resources;
using Mesh.FakeKubeApi.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.FakeKubeApi;

/// <summary>
/// A fake Kubernetes API server on Kestrel, speaking the real wire protocol over HTTP: discovery, list (with
/// resourceVersion, limit/continue), get, create, update, patch (merge, strategic as merge, JSON patch,
/// server-side apply), delete, status subresources, label and field selectors, and watch streams with bookmarks
/// and 410 Expired after compaction. One global resourceVersion grows with every write, as etcd's revision does.
/// Tests script faults through <see cref="Faults"/> (or <c>/_fake/</c> over HTTP) and read every request in
/// <see cref="Requests"/>.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ActiveWatches _active;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _bookmarks;

    private FakeKubeApiServer(WebApplication app, ObjectStore store, FaultPlan faults, ActiveWatches active, RequestLog requests, FakeKubeApiOptions options)
    {
        _app = app;
        Store = store;
        Faults = faults;
        _active = active;
        Requests = requests;
        Options = options;
    }

    public FakeKubeApiOptions Options { get; }

    public ObjectStore Store { get; }

    public ResourceTypes Types => Store.Types;

    public FaultPlan Faults { get; }

    public RequestLog Requests { get; }

    /// <summary>Open watch streams right now.</summary>
    public int ActiveWatchCount => _active.Count;

    public int ActiveWatchesOf(string resource) => _active.CountMatching(new FaultMatch(Resource: resource));

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    public static async Task<FakeKubeApiServer> StartAsync(FakeKubeApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeKubeApiOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.LogToConsole) builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Listen));
        var app = builder.Build();

        var types = new ResourceTypes();
        var store = new ObjectStore(types, TimeProvider.System, options.StateDirectory);
        var active = new ActiveWatches();
        var faults = new FaultPlan(active);
        var requests = new RequestLog();
        var server = new FakeKubeApiServer(app, store, faults, active, requests, options);
        var control = new ControlEndpoints(store, faults, active, requests);
        var router = new ApiRouter(store, faults, active, requests, control, options.BearerToken, () => $"127.0.0.1:{server.Port}");
        app.Run(router.HandleAsync);

        foreach (var ns in options.InitialNamespaces)
        {
            if (store.Get(BuiltInTypes.Namespaces, null, ns) is null)
            {
                store.Create(BuiltInTypes.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
            }
        }

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        if (options.BookmarkInterval is { } interval) server._bookmarks = server.SendBookmarksAsync(interval);
        if (options.StateDirectory is { } dir)
        {
            server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
            await File.WriteAllTextAsync(Path.Combine(dir, "port"), server.Port.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken);
        }
        return server;
    }

    /// <summary>Writes a kubeconfig (context <c>fake</c>) pointing at this server, with its bearer token (or a placeholder the fake does not check).</summary>
    public string WriteKubeconfig(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // KubernetesClient refuses a user without credentials; a fake that checks none ignores the token.
        var user = $"\n    token: {Options.BearerToken ?? "not-checked"}";
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {BaseAddress.ToString().TrimEnd('/')}
            users:
            - name: fake
              user:{user}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: default
            current-context: fake

            """;
        File.WriteAllText(path, text);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_bookmarks is not null)
        {
            try
            {
                await _bookmarks;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
        Store.Dispose();
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task SendBookmarksAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(_stopping.Token)) Store.Bookmark();
    }
}
