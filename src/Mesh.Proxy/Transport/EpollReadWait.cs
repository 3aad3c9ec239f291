using System.Runtime.InteropServices;

namespace Mesh.Proxy.Transport;

/// <summary>
/// A client waited on for its first bytes (or its end) on an <see cref="EpollLoop"/>, so that a client which had sent
/// nothing yet when its connection actor ran never waits on .NET's own epoll: a descriptor there could not be handed
/// to the transport afterwards. The registration is removed as the wait ends; the bytes are read by the caller.
/// </summary>
internal sealed class EpollReadWait : EpollEntry
{
    private readonly TaskCompletionSource<bool> _done = new();
    private bool _ended;

    public EpollReadWait(EpollLoop loop, SafeHandle clientHandle)
        : base(loop, clientHandle)
    {
    }

    /// <summary>True once the client is readable (bytes, or its end); false when aborted (timed out or cancelled).</summary>
    public Task<bool> Readable => _done.Task;

    public override void OnEvent(bool second, uint events) => End(readable: true);

    public override void EndAborted() => End(readable: false);

    public override void EndFaulted() => End(readable: false);

    public override void Abandon()
    {
        _ended = true;
        base.Abandon();
    }

    private void End(bool readable)
    {
        if (_ended) return;
        _ended = true;
        HandBackClient();
        _done.TrySetResult(readable);
    }
}
