using System.Net;
using System.Net.Sockets;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests.Support;

/// <summary>
/// An HTTP origin behind a proxy whose policy allows httpbin.org on the origin's port for paths under
/// <c>/allowed</c> and the path <c>/upgrade</c> (HTTPRouteGroup "routes"). httpbin.org resolves to 127.0.0.1; clients
/// "meant" 127.0.0.2 (where nothing listens), so a request only reaches the origin by the rule's host.
/// </summary>
internal sealed class HttpWorld : IAsyncDisposable
{
    private HttpWorld(HttpOrigin origin, ProxyHarness proxy)
    {
        Origin = origin;
        Proxy = proxy;
        Destination = new IPEndPoint(IPAddress.Parse("127.0.0.2"), origin.Port);
    }

    public HttpOrigin Origin { get; }

    public ProxyHarness Proxy { get; }

    /// <summary>The original destination clients connect to.</summary>
    public IPEndPoint Destination { get; }

    public string Host => $"httpbin.org:{Origin.Port}";

    /// <summary>Starts one whose proxy puts connections on <paramref name="transport"/>.</summary>
    public static Task<HttpWorld> StartAsync(TcpTransport transport, ProxyOptions? options = null) =>
        StartAsync((options ?? new ProxyOptions()) with { TcpTransport = transport });

    public static async Task<HttpWorld> StartAsync(ProxyOptions? options = null)
    {
        var origin = new HttpOrigin();
        var world = new HttpWorld(origin, await ProxyHarness.StartAsync(options));
        await world.Proxy.PublishAsync(
            RouteGroup("routes", ("allowed", "/allowed.*"), ("upgrade", "/upgrade")),
            Egress("httpbin", "curl/curl", origin.Port, "http", ["httpbin.org"], routeGroups: ["routes"]));
        return world;
    }

    public async Task<HttpConnection> ConnectAsync(CancellationToken ct)
    {
        var socket = await Proxy.ConnectAsync(Destination, ct);
        return new HttpConnection(socket);
    }

    public string Get(string path, string extraHeaders = "") => $"GET {path} HTTP/1.1\r\nHost: {Host}\r\n{extraHeaders}\r\n";

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Origin.DisposeAsync();
    }
}

/// <summary>A client connection through the proxy, with a response reader.</summary>
internal sealed class HttpConnection(Socket socket) : IDisposable
{
    public Socket Socket { get; } = socket;

    public WireReader Reader { get; } = new(new NetworkStream(socket, ownsSocket: false));

    public Task SendAsync(string text, CancellationToken ct) => Net.SendAsync(Socket, text, ct);

    public Task SendAsync(byte[] bytes, CancellationToken ct) => Net.SendAsync(Socket, bytes, ct);

    public Task<HttpWireResponse> ReadResponseAsync(CancellationToken ct) => Reader.ReadResponseAsync(ct);

    /// <summary>Asserts the proxy ended the connection (after whatever response was already read).</summary>
    public async Task ExpectClosedAsync(CancellationToken ct)
    {
        var rest = await Reader.ReadToEndAsync(ct);
        Assert.True(rest.Length == 0, $"expected the connection to close, got: {System.Text.Encoding.ASCII.GetString(rest)}");
    }

    public void Dispose() => Socket.Dispose();
}
