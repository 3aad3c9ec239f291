using System.Net.Sockets;

namespace Mesh.Proxy.Transport;

/// <summary>Where an <see cref="EpollAcceptor"/> hands what it accepts, and what tells it to pause. Called on the loop's thread.</summary>
internal interface IAcceptTarget
{
    /// <summary>Whether one more connection may be accepted now; while not, the listener rests.</summary>
    bool HasRoom { get; }

    /// <summary>A connection accepted: must not block.</summary>
    void Accepted(Socket socket);

    /// <summary>An accept failed; the listener lives on.</summary>
    void Failed(SocketError error);

    /// <summary>Accepting paused at the connection limit (true), or resumed (false).</summary>
    void Paused(bool paused);
}
