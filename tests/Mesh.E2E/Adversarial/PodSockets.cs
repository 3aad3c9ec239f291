using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// Sockets that live in the pod's network namespace, made by this test process (which itself stays in the root
/// namespace): a dedicated thread joins the namespace with setns(2), creates the socket and ends. A socket belongs to
/// the namespace it was created in, so connecting and I/O afterwards happen there from any thread: the pod's
/// interception rules apply, and a test can send byte-exact input with exact timing, which curl cannot.
/// </summary>
internal static partial class PodSockets
{
    private const int CloneNewNet = 0x40000000;

    public static async Task<Socket> ConnectAsync(string podNamespace, IPEndPoint destination, CancellationToken ct)
    {
        var socket = Create(podNamespace, destination.AddressFamily);
        try
        {
            socket.NoDelay = true; // every Send is its own segment: the proxy sees exactly the splits a test makes
            await socket.ConnectAsync(destination, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket Create(string podNamespace, AddressFamily family)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/run/netns", podNamespace));
                if (SetNamespace(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns into {podNamespace}");
                }
                socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Win32Exception or SocketException)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "pod-netns-socket" };
        thread.Start();
        thread.Join(); // the thread ends here, and its namespace with it; no other thread ever left the root namespace
        return socket ?? throw new InvalidOperationException($"could not make a socket in {podNamespace}", failure);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int namespaceType);
}
