using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Proxy.Listeners;

/// <summary>Where a redirected connection was going before iptables sent it to the proxy.</summary>
public interface IOriginalDestinationResolver
{
    /// <summary>
    /// The original destination of a connection <paramref name="listener"/> accepted, or null when the connection was
    /// not redirected.
    /// </summary>
    IPEndPoint? Resolve(Socket accepted, IPEndPoint listener);
}

/// <summary>
/// Reads <c>SO_ORIGINAL_DST</c> (IPv4, level SOL_IP) or <c>IP6T_SO_ORIGINAL_DST</c> (IPv6, level SOL_IPV6), both option 80,
/// with <see cref="Socket.GetRawSocketOption"/>: no native helper, no capability needed.
/// </summary>
public sealed class SoOriginalDestinationResolver : IOriginalDestinationResolver
{
    private const int SolIP = 0;
    private const int SolIPv6 = 41;
    private const int SoOriginalDst = 80;

    public IPEndPoint? Resolve(Socket accepted, IPEndPoint listener)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(listener);
        var original = Read(accepted);
        // The option answers for every connection conntrack tracks, NATed or not: one that was not redirected reports
        // where it already is, this listener. Forwarding it would connect here again, without end (a client that
        // dials the pod's own address at the outbound port, with passthrough on, made thousands per second).
        // An accepted socket's local port is the listener's, so a different port was redirected; only the same port
        // needs the local address (a getsockname call: one of the ~28 system calls a proxied connection costs).
        if (original is null || original.Port != listener.Port) return original;
        return original.Equals(accepted.LocalEndPoint) ? null : original;
    }

    private static IPEndPoint? Read(Socket accepted)
    {
        try
        {
            if (accepted.AddressFamily == AddressFamily.InterNetwork)
            {
                Span<byte> buffer = stackalloc byte[16]; // struct sockaddr_in
                if (accepted.GetRawSocketOption(SolIP, SoOriginalDst, buffer) < 8) return null;
                return new IPEndPoint(new IPAddress(buffer.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]));
            }
            Span<byte> buffer6 = stackalloc byte[28]; // struct sockaddr_in6
            if (accepted.GetRawSocketOption(SolIPv6, SoOriginalDst, buffer6) < 24) return null;
            return new IPEndPoint(new IPAddress(buffer6.Slice(8, 16)), BinaryPrimitives.ReadUInt16BigEndian(buffer6[2..]));
        }
        catch (SocketException)
        {
            return null; // no conntrack entry: there is no original destination to serve
        }
    }
}
