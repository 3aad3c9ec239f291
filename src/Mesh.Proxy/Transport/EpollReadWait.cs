using System.Runtime.InteropServices;

namespace Mesh.Proxy.Transport;

/// <summary>
/// A client waited on for its first bytes (or its end) on an <see cref="EpollLoop"/>, so that a client which had sent
/// nothing yet when its connection actor ran never waits on .NET's own epoll: a descriptor there could not be handed
/// to the transport afterwards. The registration is removed as the wait ends; the bytes are read by the caller.
/// </summary>
internal sealed class EpollReadWait : EpollEntry
{
    private readonly SafeHandle _clientHandle;
    private readonly TaskCompletionSource<bool> _done = new();
    private bool _ended;

    public EpollReadWait(EpollLoop loop, SafeHandle clientHandle)
        : base(loop)
    {
        var added = false;
        clientHandle.DangerousAddRef(ref added); // released as the wait ends: not closed under the loop
        _clientHandle = clientHandle;
        Client = (int)clientHandle.DangerousGetHandle();
    }

    public int Client { get; }

    /// <summary>True once the client is readable (bytes, or its end); false when aborted (timed out or cancelled).</summary>
    public Task<bool> Readable => _done.Task;

    public override void OnEvent(bool second, uint events) => End(readable: true);

    public override void EndAborted() => End(readable: false);

    public override void EndFaulted() => End(readable: false);

    /// <summary>Undoes a start the loop never saw (its registration failed).</summary>
    public void Abandon()
    {
        _ended = true;
        _clientHandle.DangerousRelease();
        Handle.Free();
    }

    private void End(bool readable)
    {
        if (_ended) return;
        _ended = true;
        Loop.Unregister(Client);
        _clientHandle.DangerousRelease();
        Loop.Retire(this);
        _done.TrySetResult(readable);
    }
}
