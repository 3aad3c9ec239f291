using Microsoft.Win32.SafeHandles;

namespace Mesh.Proxy.Transport;

/// <summary>
/// A descriptor the transport opened itself (an upstream socket made with <c>socket(2)</c>), closed when the handle is
/// disposed and no call or registration holds it any more. A <see cref="System.Net.Sockets.Socket"/> around it would
/// cost <c>getsockopt</c> calls of its own, and nothing here needs one.
/// </summary>
internal sealed class DescriptorHandle : SafeHandleMinusOneIsInvalid
{
    public DescriptorHandle(int descriptor)
        : base(ownsHandle: true)
    {
        SetHandle(descriptor);
    }

    protected override bool ReleaseHandle() => EpollNative.close((int)handle) == 0;
}
