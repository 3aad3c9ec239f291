using System.Runtime.InteropServices;

namespace Mesh.Proxy.Transport;

/// <summary>
/// Something registered on an <see cref="EpollLoop"/>: a forwarded flow, or a client waited on for its first bytes.
/// Its registrations carry its handle's address (pointer-aligned, so the low bit tells its first descriptor from its
/// second); only the loop's thread touches it once registered, and the loop frees the handle after the batch in which
/// it ended.
/// </summary>
internal abstract class EpollEntry
{
    protected EpollEntry(EpollLoop loop)
    {
        Loop = loop;
        Handle = GCHandle.Alloc(this);
    }

    public EpollLoop Loop { get; }

    public GCHandle Handle { get; }

    /// <summary>The key of its registration for its first (<paramref name="second"/> false) or second descriptor.</summary>
    public ulong Key(bool second) => (ulong)GCHandle.ToIntPtr(Handle) | (second ? 1UL : 0UL);

    /// <summary>An event on its first or second descriptor, on the loop's thread.</summary>
    public abstract void OnEvent(bool second, uint events);

    /// <summary>Ends it as aborted, on the loop's thread (<see cref="EpollLoop.Abort"/>); nothing if it has ended.</summary>
    public abstract void EndAborted();

    /// <summary>Ends it after a fault in <see cref="OnEvent"/>, on the loop's thread; nothing if it has ended.</summary>
    public abstract void EndFaulted();
}
