using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Listeners;
using Mesh.Proxy.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Proxy.Tests;

/// <summary>The transparent listener's accepted sockets, as the connection actors get them.</summary>
public sealed class OutboundListenerTests
{
    [Fact]
    public async Task An_accepted_socket_has_nagle_off_without_a_call_per_connection()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var accepted = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = new OutboundListener([new IPEndPoint(IPAddress.Loopback, 0)], (socket, _) => accepted.TrySetResult(socket), NullLogger.Instance);
        listener.SetOpen(true);

        using var client = await Net.ConnectDirectAsync(listener.BoundEndpoints[0], ct);
        using var socket = await accepted.Task.WaitAsync(ct);

        // Inherited from the listener on Linux (TCP_NODELAY is copied into each connection the listener accepts).
        Assert.True(socket.NoDelay);
    }
}
