using Akka.Actor;
using Akka.Dispatch;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>
/// The connection actors' small mailbox: a queue like Akka's unbounded one (first in, first out; what is left goes to
/// dead letters), and the mailbox every accepted connection's actor actually gets.
/// </summary>
public sealed class ConnectionMailboxTests
{
    [Fact]
    public void Messages_leave_in_the_order_they_came_and_what_is_left_at_the_end_goes_to_dead_letters()
    {
        var queue = new ConnectionMessageQueue();
        Assert.False(queue.HasMessages);
        Assert.False(queue.TryDequeue(out _));

        for (var i = 0; i < 5; i++) queue.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
        Assert.True(queue.HasMessages);
        Assert.Equal(5, queue.Count);
        Assert.True(queue.TryDequeue(out var first));
        Assert.Equal(0, first.Message);

        var deadLetters = new ConnectionMessageQueue();
        queue.CleanUp(ActorRefs.Nobody, deadLetters);
        Assert.False(queue.HasMessages);
        var left = new List<object>();
        while (deadLetters.TryDequeue(out var envelope)) left.Add(envelope.Message);
        Assert.Equal([1, 2, 3, 4], left);
    }

    [Fact]
    public async Task An_accepted_connections_actor_runs_on_the_connection_mailbox()
    {
        using var cts = Net.Deadline();
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(Egress("echo", "curl/curl", origin.Port, "tcp"));

        using var client = await proxy.ConnectAsync(origin.Endpoint, cts.Token);
        // The actor is made once the identity actor has the accepted socket: wait for it to exist.
        IActorRef? connection = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                connection = await proxy.System.ActorSelection(proxy.Node.Actor.Path / "*").ResolveOne(TimeSpan.FromMilliseconds(200));
                return true;
            }
            catch (ActorNotFoundException)
            {
                return false;
            }
        });

        var cell = Assert.IsType<ActorCell>(((ActorRefWithCell)connection!).Underlying, exactMatch: false);
        Assert.IsType<ConnectionMessageQueue>(Assert.IsType<Mailbox>(cell.Mailbox, exactMatch: false).MessageQueue);
    }
}
