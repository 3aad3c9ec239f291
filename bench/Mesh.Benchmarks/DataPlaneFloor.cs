using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Listeners;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Benchmarks;

/// <summary>
/// The floor under Mesh's data plane, for <c>FLOOR=1 bench/dataplane/run.sh</c>: Mesh's own transparent listener,
/// original-destination lookup, upstream connector and pump, on Mesh's socket-engine settings, and nothing else: no
/// actor per connection, no snapshot, sniff, decision, metrics or decision log. The flow starts on the thread pool, as
/// a connection actor's does. What a connection costs here is what .NET's sockets and Mesh's forwarding cost; what
/// Mesh spends above it is everything else (docs/benchmarks.md, issue 11). It forwards every redirected connection:
/// a measuring tool, never a proxy to deploy.
/// </summary>
internal static class DataPlaneFloor
{
    private static readonly byte[] Ready = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

    public static async Task RunAsync(int outboundPort, IPEndPoint admin)
    {
        // As `mesh run` with reference.conf's defaults (SocketEngine.Configure): inline completions on two engine
        // threads. Set before the first socket starts the engine.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", Math.Max(2, Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var connector = new UpstreamConnector(new DnsHostResolver(), TimeSpan.FromSeconds(10));
        var originalDestination = new SoOriginalDestinationResolver();
        await using var listener = new OutboundListener([new IPEndPoint(IPAddress.Any, outboundPort)], (client, endpoint) =>
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = ForwardAsync(state.client, state.endpoint, state.originalDestination, state.connector),
                (client, endpoint, originalDestination, connector), preferLocal: false), NullLogger.Instance);
        listener.SetOpen(true);
        await ServeReadyAsync(admin);
    }

    private static async Task ForwardAsync(Socket client, IPEndPoint listener, SoOriginalDestinationResolver originalDestination, UpstreamConnector connector)
    {
        try
        {
            if (originalDestination.Resolve(client, listener) is not { } destination) return;
            using var upstream = await connector.ConnectAsync(destination, CancellationToken.None);
            await TcpPump.RunAsync(client, upstream, 256 * 1024, new ByteCounters(), CancellationToken.None);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the peer went away, as in Mesh's flow
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Answers every request on <paramref name="admin"/> with 200: the harness waits for <c>/ready</c>.</summary>
    internal static async Task ServeReadyAsync(IPEndPoint admin)
    {
        using var socket = new Socket(admin.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(admin);
        socket.Listen(16);
        var request = new byte[4096];
        while (true)
        {
            using var connection = await socket.AcceptAsync();
            await connection.ReceiveAsync(request, SocketFlags.None);
            await connection.SendAsync(Ready, SocketFlags.None);
            connection.Shutdown(SocketShutdown.Both);
        }
    }
}
