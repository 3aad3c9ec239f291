using System.Net.Sockets;

namespace Mesh.Proxy.Transport;

/// <summary>
/// A listening socket accepted from on an <see cref="EpollLoop"/> instead of on .NET's socket engine: the connections
/// a loop forwards then arrive on the thread that is awake for their flows anyway, not on an engine thread woken for
/// each batch of accepts. One accept per event, on a registration that is level-triggered: the listener stays in
/// blocking mode, so an accepted socket needs no <c>fcntl</c> calls and a drained queue costs no <c>EAGAIN</c> (which
/// .NET raises as an exception); a listener with more queued is reported again at once by the next wait, after the
/// flows' events of the same batch. It stays its owner's <see cref="Socket"/>: the entry holds a reference on its
/// handle, so its descriptor cannot close (and its number cannot be reused) under the loop; its owner aborts the entry
/// before disposing it (<see cref="EpollTransport.StopListening"/>).
/// </summary>
internal sealed class EpollAcceptor : EpollEntry
{
    private readonly Socket _listener;
    private readonly IAcceptTarget _target;
    private bool _ended;
    private bool _paused;

    public EpollAcceptor(EpollLoop loop, Socket listener, IAcceptTarget target)
        : base(loop, listener.SafeHandle)
    {
        _listener = listener;
        _target = target;
    }

    /// <summary>
    /// The listener is readable: a connection is queued, so the accept cannot block. At the connection limit it is
    /// left queued and the listener rests (<see cref="EpollLoop.Rest"/>) until the next look.
    /// </summary>
    public override void OnEvent(bool second, uint events)
    {
        if (_ended) return;
        if (!_target.HasRoom)
        {
            if (!_paused) _target.Paused(_paused = true);
            Loop.Rest(this);
            return;
        }
        if (_paused) _target.Paused(_paused = false);
        Socket accepted;
        try
        {
            accepted = _listener.Accept();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.InvalidArgument)
        {
            End(); // no longer listening: its owner is closing it
            return;
        }
        catch (SocketException e)
        {
            // A client that reset while queued (ECONNABORTED): the next wait reports what is still queued. Out of
            // descriptors or buffers (EMFILE, ENFILE, ENOBUFS): the queue stays readable, so the loop would spin on it;
            // it rests for a while instead, as .NET's accept loop does, and the listener lives on either way.
            _target.Failed(e.SocketErrorCode);
            if (e.SocketErrorCode is not (SocketError.ConnectionAborted or SocketError.ConnectionReset)) Loop.Rest(this);
            return;
        }
        catch (ObjectDisposedException)
        {
            End(); // its owner closed it: the abort that precedes the close ends it too
            return;
        }
        try
        {
            _target.Accepted(accepted);
        }
        catch
        {
            accepted.Dispose(); // handed to no one; the loop goes on (EndFaulted)
            throw;
        }
    }

    public override void EndAborted() => End();

    /// <summary>A fault handing one connection over must not stop the listener: it goes on accepting.</summary>
    public override void EndFaulted()
    {
    }

    public override void Abandon()
    {
        _ended = true;
        base.Abandon();
    }

    private void End()
    {
        if (_ended) return;
        _ended = true;
        HandBackClient();
    }
}
