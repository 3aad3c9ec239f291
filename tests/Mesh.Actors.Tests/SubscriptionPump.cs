using System.Threading.Channels;

namespace Mesh.Actors.Tests;

/// <summary>Forwards what a subscription yields to a probe; the returned task ends when the reader completes.</summary>
internal static class SubscriptionPump
{
    public static Task Start<T>(ChannelReader<T> reader, IActorRef<T> target, Task? holdAfterFirst = null) => Task.Run(async () =>
    {
        var first = true;
        await foreach (var item in reader.ReadAllAsync())
        {
            target.Tell(item);
            if (first && holdAfterFirst is not null)
                await holdAfterFirst; // a stuck subscriber
            first = false;
        }
    });
}
