using System.Net;

namespace Mesh.Proxy;

/// <summary>Settings of one proxy node (hocon: <c>mesh.proxy</c>). Defaults follow egress-semantics.md.</summary>
public sealed record ProxyOptions
{
    /// <summary>Where iptables redirects outbound TCP (all addresses, IPv4 and IPv6).</summary>
    public int OutboundPort { get; init; } = 15001;

    public IPEndPoint AdminEndpoint { get; init; } = new(IPAddress.Loopback, 15000);

    /// <summary>The explicit forward-proxy listener (CONNECT and absolute-form HTTP); null: off.</summary>
    public IPEndPoint? ForwardProxyEndpoint { get; init; }

    /// <summary>
    /// How long to wait for the client's first bytes before treating the stream as opaque TCP. Not applied on ports
    /// where the identity has http rules: there the client is classified by its first bytes, however late (up to
    /// <see cref="IdleTimeout"/>), so that a silent start cannot turn HTTP into opaque TCP under passthrough.
    /// </summary>
    public TimeSpan SniffTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many bytes are buffered to classify a connection (a TLS ClientHello may span records).</summary>
    public int MaxSniffBytes { get; init; } = 16 * 1024;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an http rule's host name stays resolved (<see cref="Forwarding.CachingHostResolver"/>).</summary>
    public TimeSpan DnsCacheTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a live flow may carry on after a snapshot that no longer allows it is applied. An opaque or TLS flow
    /// (and an upgraded HTTP tunnel) has no message boundary to wait for and is reset at once; an HTTP response in
    /// flight for a request the new snapshot would answer 404 may finish within this time, then the connection closes
    /// (or is reset at the deadline). egress-semantics.md: "closed within 1 s (configurable)".
    /// </summary>
    public TimeSpan RevocationDeadline { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often an identity actor tells its snapshot source again what it serves and which version it holds. A source
    /// that restarted learns its watchers from this, and a publication that was lost is made up for within it.
    /// </summary>
    public TimeSpan RewatchInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection on which no byte moved either way for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Pump buffer size once a flow is bulk. Starts at 4 KiB per direction so the many small flows stay cheap; grows
    /// to this after a full read (performance-notes: 16 KiB → 256 KiB buffers doubled HAProxy's stream throughput).
    /// </summary>
    public int MaxPumpBufferSize { get; init; } = 256 * 1024;

    /// <summary>What moves a decided TCP flow's bytes (hocon: <c>mesh.proxy.tcp-transport</c>).</summary>
    public TcpTransport TcpTransport { get; init; } = TcpTransport.Epoll;

    /// <summary>Threads of the epoll transport, each with its own epoll instance; flows are dealt out in turn.</summary>
    public int EpollThreads { get; init; } = 1;

    /// <summary>
    /// The most connections held open at once; at it the listeners stop accepting (clients wait in their queues)
    /// until one ends. Null: from the process's open-files limit (<see cref="Connections.LiveConnections.AutoLimit"/>),
    /// so that connections never take the last descriptors.
    /// </summary>
    public int? MaxConnections { get; init; }
}

/// <summary>What moves a decided TCP flow's bytes, and what an inspected HTTP connection reads and writes through.</summary>
public enum TcpTransport
{
    /// <summary>
    /// Mesh's own epoll loops on raw descriptors (<see cref="Transport.EpollTransport"/>), where the platform has them
    /// (Linux x86-64; elsewhere <see cref="Sockets"/>).
    /// </summary>
    Epoll,

    /// <summary>.NET's asynchronous sockets (<see cref="Forwarding.TcpPump"/>).</summary>
    Sockets,
}
