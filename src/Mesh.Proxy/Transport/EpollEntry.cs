using System.Runtime.InteropServices;

namespace Mesh.Proxy.Transport;

/// <summary>
/// Something registered on an <see cref="EpollLoop"/> around a borrowed descriptor: a forwarded flow, a client waited on
/// for its first bytes, or a listener accepted from (its "client" here). The <see cref="System.Net.Sockets.Socket"/>
/// stays its caller's; the entry holds a reference on its handle from creation to its end, so the descriptor cannot be
/// closed under the loop.
/// Registrations carry the entry's handle address (pointer-aligned, so the low bit tells its first descriptor from its
/// second); only the loop's thread touches it once registered, and the loop frees the handle after the batch in which
/// it ended.
/// </summary>
internal abstract class EpollEntry
{
    private readonly SafeHandle _clientHandle;

    protected EpollEntry(EpollLoop loop, SafeHandle clientHandle)
    {
        Loop = loop;
        var added = false;
        clientHandle.DangerousAddRef(ref added);
        _clientHandle = clientHandle;
        Client = (int)clientHandle.DangerousGetHandle();
        Handle = GCHandle.Alloc(this);
    }

    public EpollLoop Loop { get; }

    public GCHandle Handle { get; }

    /// <summary>The client's descriptor, always the entry's first.</summary>
    public int Client { get; }

    /// <summary>The key of its registration for its first (<paramref name="second"/> false) or second descriptor.</summary>
    public ulong Key(bool second) => (ulong)GCHandle.ToIntPtr(Handle) | (second ? 1UL : 0UL);

    /// <summary>An event on its first or second descriptor, on the loop's thread.</summary>
    public abstract void OnEvent(bool second, uint events);

    /// <summary>Ends it as aborted, on the loop's thread (<see cref="EpollLoop.Abort"/>); nothing if it has ended.</summary>
    public abstract void EndAborted();

    /// <summary>Ends it after a fault in <see cref="OnEvent"/>, on the loop's thread; nothing if it has ended.</summary>
    public abstract void EndFaulted();

    /// <summary>Undoes a start the loop never saw (a registration failed): nothing may refer to the entry.</summary>
    public virtual void Abandon()
    {
        _clientHandle.DangerousRelease();
        Handle.Free();
    }

    /// <summary>
    /// As it ends, on the loop's thread: the client's registration removed (it lives on in its Socket: no event may
    /// reach the entry), the handle reference released, the entry retired.
    /// </summary>
    protected void HandBackClient()
    {
        Loop.Unregister(Client);
        _clientHandle.DangerousRelease();
        Loop.Retire(this);
    }
}
