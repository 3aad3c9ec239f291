namespace Mesh.Actors;

/// <summary>Remembers when an actor failed so the supervisor can count failures inside the sliding window.</summary>
internal sealed class FailureWindow(TimeSpan window, TimeProvider time)
{
    private readonly Queue<long> _failureTimestamps = new();

    /// <summary>Records a failure now and returns how many failures fall inside the window, this one included.</summary>
    public int Record()
    {
        var now = time.GetTimestamp();
        _failureTimestamps.Enqueue(now);
        while (time.GetElapsedTime(_failureTimestamps.Peek(), now) > window)
            _failureTimestamps.Dequeue();
        return _failureTimestamps.Count;
    }
}
