using System.Threading.Channels;

namespace Mesh.Actors;

/// <summary>The bounded queue in front of an actor. It belongs to the address, not the instance, so it outlives restarts.</summary>
internal sealed class Mailbox<TMessage>
{
    private readonly Channel<TMessage> _channel;
    private readonly MailboxFullMode _fullMode;
    private long _dropped;

    public Mailbox(int capacity, MailboxFullMode fullMode)
    {
        _fullMode = fullMode;
        // Wait mode in the channel itself: a failed TryWrite is how we notice "full" and count the drop.
        // SingleReader stays false because the loop may hold a pending WaitToReadAsync while it also checks TryRead.
        _channel = Channel.CreateBounded<TMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    public ChannelReader<TMessage> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

    public long Dropped => Interlocked.Read(ref _dropped);

    public bool TryPost(TMessage message)
    {
        if (_channel.Writer.TryWrite(message))
            return true;
        Interlocked.Increment(ref _dropped);
        return false;
    }

    public async ValueTask<bool> PostAsync(TMessage message, CancellationToken cancellationToken)
    {
        if (_fullMode == MailboxFullMode.DropNewest)
            return TryPost(message);
        try
        {
            await _channel.Writer.WriteAsync(message, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
    }

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Empties a closed mailbox, counting what nobody will handle.</summary>
    public void DiscardRemaining()
    {
        while (_channel.Reader.TryRead(out _))
            Interlocked.Increment(ref _dropped);
    }
}
