using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Protocols.Http;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Http;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Listeners;

/// <summary>
/// The explicit forward-proxy listener (off by default), for laptops and CI without iptables: <c>CONNECT host:port</c>
/// and absolute-form <c>GET http://host/...</c> requests. The named host is resolved and becomes the "original
/// destination"; from there the connection gets the same connection actor, sniffing and decisions as a redirected one.
/// A destination the identity may not reach at all is answered <c>403</c> before any tunnel is opened.
/// </summary>
internal sealed class ForwardProxyListener(IPEndPoint endpoint, ProxyContext context, IHostResolver resolver,
    Action<Socket, IPEndPoint, PipeReader> spawn, ILogger logger) : IAsyncDisposable
{
    private static readonly byte[] Established = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();
    private Socket? _listener;
    private Task _loop = Task.CompletedTask;

    public IPEndPoint? BoundEndpoint => _listener?.LocalEndPoint as IPEndPoint;

    public void Start()
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            ProxyLog.ListenFailed(logger, endpoint, e.Message);
            return;
        }
        _listener = socket;
        _loop = AcceptLoopAsync(socket);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            if (!await context.Live.WaitForRoomAsync(listener, logger)) return;
            Socket client;
            try
            {
                client = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            context.Live.Accepted(); // from here: it holds a descriptor, in its handshake as after it
            client.NoDelay = true;
            _ = Task.Run(() => HandshakeAsync(client));
        }
    }

    private async Task HandshakeAsync(Socket client)
    {
        var reader = ClientPipe.Create(client);
        using var deadline = new CancellationTokenSource(context.Options.SniffTimeout);
        var spawned = false;
        try
        {
            var head = new HttpRequestHead();
            var (status, consumed, start) = await ReadHeadAsync(reader, head, deadline.Token);
            if (status != HttpHeadStatus.Complete || !TrySplitAuthority(head, out var host, out var port))
            {
                await RefuseAsync(client, 400, "mesh: expected CONNECT host:port or an absolute-form http:// request\n");
                return;
            }
            var destination = await ResolveAsync(host, port, deadline.Token);
            if (destination is null)
            {
                await RefuseAsync(client, 502, $"mesh: {host} does not resolve\n");
                return;
            }
            var snapshot = context.Snapshot;
            var first = snapshot?.DecideOnAccept(NetAddress.FromIPAddress(destination.Address), destination.Port);
            if (first is null || first.Value.Verdict is ConnectionVerdict.Deny or ConnectionVerdict.Refuse)
            {
                var forbidden = first is { } decided ? Outcome.Forbidden(decided.Reason) : Outcome.ForbiddenWithoutSnapshot;
                context.Metrics.Count(forbidden);
                if (context.Log.IsEnabled)
                {
                    context.Log.Write(new DecisionRecord(forbidden, context.IdentityText, destination)
                    {
                        Host = host,
                        Method = Encoding.ASCII.GetString(head.Method),
                    });
                }
                await RefuseAsync(client, 403, $"mesh: egress to {host}:{port} is not allowed for {context.IdentityText}\n");
                return;
            }
            if (head.MethodKind == HttpMethodKind.Connect)
            {
                reader.AdvanceTo(consumed);
                await TcpPump.SendAllAsync(client, Established, deadline.Token);
            }
            else
            {
                reader.AdvanceTo(start); // the request itself is the first thing the connection actor decides
            }
            spawn(client, destination, reader);
            spawned = true;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            client.Dispose();
        }
        finally
        {
            if (!spawned) context.Live.Abandoned();
        }
    }

    private static async Task<(HttpHeadStatus, SequencePosition Consumed, SequencePosition Start)> ReadHeadAsync(
        PipeReader reader, HttpRequestHead head, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            var status = HttpRequestHeadParser.Default.TryParse(result.Buffer, head, out var consumed, out _);
            if (status != HttpHeadStatus.NeedMoreData || result.IsCompleted) return (status, consumed, result.Buffer.Start);
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>host and port of a CONNECT target or of an absolute-form http URL (port 80 when absent).</summary>
    private static bool TrySplitAuthority(HttpRequestHead head, out string host, out int port)
    {
        host = "";
        port = 0;
        var isConnect = head.MethodKind == HttpMethodKind.Connect;
        if (!isConnect && (head.TargetForm != RequestTargetForm.Absolute || !Ascii.EqualsIgnoreCase(head.Scheme, "http"u8))) return false;
        var authority = Encoding.ASCII.GetString(head.Authority);
        var colon = authority.LastIndexOf(':');
        var closing = authority.LastIndexOf(']');
        if (colon > closing)
        {
            if (!int.TryParse(authority.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535) return false;
            authority = authority[..colon];
        }
        else if (isConnect)
        {
            return false; // CONNECT needs a port
        }
        else
        {
            port = 80;
        }
        host = authority.Trim('[', ']');
        return host.Length > 0;
    }

    private async Task<IPEndPoint?> ResolveAsync(string host, int port, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal)) return new IPEndPoint(literal, port);
        try
        {
            var addresses = await resolver.ResolveAsync(host, ct);
            return addresses.Length == 0 ? null : new IPEndPoint(addresses[0], port);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static async Task RefuseAsync(Socket client, int status, string body)
    {
        try
        {
            await TcpPump.SendAllAsync(client, LocalResponse.Create(status, LocalResponse.ReasonPhrase(status), body, close: true, headRequest: false), CancellationToken.None);
            client.Shutdown(SocketShutdown.Both);
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Stops listening now; the accept loop ends on its own.</summary>
    public void Close() => _listener?.Dispose();

    public async ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        await _loop;
    }
}
