using System.Net;
using System.Net.Sockets;

namespace Mesh.Tests.Shared;

/// <summary>Ports for tests that must name one before whatever binds it starts (a controller's fixed cluster port, a listener).</summary>
internal static class FreePorts
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listened on a moment ago (the kernel's choice, so parallel tests rarely collide).</summary>
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
