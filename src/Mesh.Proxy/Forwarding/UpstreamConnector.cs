using System.Net;
using System.Net.Sockets;

namespace Mesh.Proxy.Forwarding;

/// <summary>Resolves a rule's host name for HTTP egress (DNS, or the hosts file in a test world).</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>Opens upstream connections with a deadline. Only ever called after an allowing decision.</summary>
internal sealed class UpstreamConnector(IHostResolver resolver, TimeSpan connectTimeout)
{
    /// <summary>How long a connect may take.</summary>
    public TimeSpan ConnectTimeout => connectTimeout;

    public async Task<Socket> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(connectTimeout);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects to the first address of <paramref name="host"/> that answers, at <paramref name="port"/>.</summary>
    public Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken) =>
        ConnectAsync(host, port, ConnectAsync, cancellationToken);

    /// <summary>
    /// Resolves <paramref name="host"/> and opens a connection with <paramref name="connect"/> to the first of its
    /// addresses that answers, at <paramref name="port"/>.
    /// </summary>
    public async Task<T> ConnectAsync<T>(string host, int port, Func<IPEndPoint, CancellationToken, Task<T>> connect, CancellationToken cancellationToken)
    {
        var addresses = await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        Exception? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await connect(new IPEndPoint(address, port), cancellationToken);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
        }
        throw last!;
    }
}
