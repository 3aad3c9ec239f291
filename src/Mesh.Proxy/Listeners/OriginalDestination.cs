using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Proxy.Listeners;

/// <summary>Where a redirected connection was going before iptables sent it to the proxy.</summary>
public interface IOriginalDestinationResolver
{
    /// <summary>The original destination, or null when the connection was not redirected.</summary>
    IPEndPoint? Resolve(Socket accepted);
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

    public IPEndPoint? Resolve(Socket accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var original = Read(accepted);
        // The option answers for every connection conntrack tracks, NATed or not: one that was not redirected reports
        // where it already is, this listener. Forwarding it would connect here again, without end (a client that
        // dials the pod's own address at the outbound port, with passthrough on, made thousands per second).
        return original is not null && original.Equals(accepted.LocalEndPoint) ? null : original;
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
