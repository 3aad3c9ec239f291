using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Mesh.Actors.TestKit;

/// <summary>
/// Stands in for an actor, a callback or a channel writer and records what it is sent, so a test can expect
/// messages within time bounds. Expectations consume messages in arrival order; failures list what arrived.
/// Every time bound, given or default, is multiplied by <see cref="TestKitSettings.TimeFactor"/>.
/// </summary>
public sealed class TestProbe<T> : IActorRef<T>
{
    private const int HistoryShownInFailures = 20;

    private readonly Channel<T> _inbox = Channel.CreateUnbounded<T>();
    private readonly List<T> _received = [];
    private readonly Lock _lock = new();

    public TestProbe(string? name = null, TimeSpan? defaultTimeout = null)
    {
        Path = "probe/" + (name ?? ProbeNames.Next());
        DefaultTimeout = defaultTimeout is { } timeout ? TestKitSettings.Dilate(timeout) : TestKitSettings.DefaultTimeout;
        Writer = new ProbeWriter<T>(_inbox.Writer, Record);
        Callback = message => Tell(message);
    }

    public string Path { get; }

    /// <summary>Bound used by expectations given no timeout (already dilated by the time factor).</summary>
    public TimeSpan DefaultTimeout { get; }

    /// <summary>Hand this to code that writes to a <see cref="ChannelWriter{T}"/>.</summary>
    public ChannelWriter<T> Writer { get; }

    /// <summary>Hand this to code that takes a callback.</summary>
    public Action<T> Callback { get; }

    /// <summary>Everything sent to the probe so far, consumed by an expectation or not.</summary>
    public IReadOnlyList<T> Received
    {
        get
        {
            lock (_lock)
                return [.. _received];
        }
    }

    public bool Tell(T message) => Writer.TryWrite(message);

    public ValueTask<bool> SendAsync(T message, CancellationToken cancellationToken = default) => ValueTask.FromResult(Tell(message));

    /// <summary>The next message, whatever it is.</summary>
    public Task<T> ExpectMessageAsync(TimeSpan? timeout = null) => ExpectMessageAsync(static _ => true, timeout, "any message");

    /// <summary>The next message, which must satisfy <paramref name="predicate"/>.</summary>
    public async Task<T> ExpectMessageAsync(
        Func<T, bool> predicate,
        TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(predicate))] string? description = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var within = Bound(timeout, DefaultTimeout);
        var (arrived, message) = await ReceiveBeforeAsync(Deadline(within));
        if (!arrived)
            throw Failure($"timeout ({within}) waiting for a message matching {description}");
        if (!predicate(message))
            throw Failure($"expected a message matching {description} but got {Describe(message)}");
        return message;
    }

    /// <summary>The next message, which must be a <typeparamref name="TSub"/> (and satisfy <paramref name="predicate"/>).</summary>
    public async Task<TSub> ExpectMessageAsync<TSub>(
        Func<TSub, bool>? predicate = null,
        TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(predicate))] string? description = null)
        where TSub : T
    {
        var expected = typeof(TSub).Name + (predicate is null ? "" : " matching " + description);
        var within = Bound(timeout, DefaultTimeout);
        var (arrived, message) = await ReceiveBeforeAsync(Deadline(within));
        if (!arrived)
            throw Failure($"timeout ({within}) waiting for {expected}");
        if (message is not TSub typed || (predicate is not null && !predicate(typed)))
            throw Failure($"expected {expected} but got {Describe(message)}");
        return typed;
    }

    /// <summary>Listens for <paramref name="duration"/> and fails if anything arrives.</summary>
    public async Task ExpectNoMessageAsync(TimeSpan? duration = null)
    {
        var within = Bound(duration, TestKitSettings.DefaultNoMessageDuration);
        var (arrived, message) = await ReceiveBeforeAsync(Deadline(within));
        if (arrived)
            throw Failure($"expected no message within {within} but got {Describe(message)}");
    }

    /// <summary>Skips messages until one satisfies <paramref name="predicate"/>; fails if none does in time.</summary>
    public async Task<T> FishForMessageAsync(
        Func<T, bool> predicate,
        TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(predicate))] string? description = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var within = Bound(timeout, DefaultTimeout);
        var deadline = Deadline(within);
        var skipped = new List<T>();
        while (true)
        {
            var (arrived, message) = await ReceiveBeforeAsync(deadline);
            if (!arrived)
                throw Failure($"timeout ({within}) fishing for a message matching {description}; skipped {DescribeAll(skipped)}");
            if (predicate(message))
                return message;
            skipped.Add(message);
        }
    }

    /// <summary>The next <paramref name="count"/> messages, all within one time bound.</summary>
    public async Task<IReadOnlyList<T>> ReceiveNAsync(int count, TimeSpan? timeout = null)
    {
        var within = Bound(timeout, DefaultTimeout);
        var deadline = Deadline(within);
        var messages = new List<T>(count);
        while (messages.Count < count)
        {
            var (arrived, message) = await ReceiveBeforeAsync(deadline);
            if (!arrived)
                throw Failure($"timeout ({within}) after {messages.Count} of {count} messages: {DescribeAll(messages)}");
            messages.Add(message);
        }

        return messages;
    }

    // Explicit bounds are dilated like the defaults, so one environment variable stretches every wait.
    private static TimeSpan Bound(TimeSpan? given, TimeSpan fallback) => given is { } span ? TestKitSettings.Dilate(span) : fallback;

    private static long Deadline(TimeSpan within) => Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);

    private static string Describe(T message) => message?.ToString() ?? "null";

    private static string DescribeAll(List<T> messages) =>
        $"({messages.Count}) [{string.Join(", ", messages.Take(HistoryShownInFailures).Select(Describe))}{(messages.Count > HistoryShownInFailures ? ", ..." : "")}]";

    private async Task<(bool Arrived, T Message)> ReceiveBeforeAsync(long deadline)
    {
        if (_inbox.Reader.TryRead(out var ready))
            return (true, ready);
        var remaining = deadline - Stopwatch.GetTimestamp();
        if (remaining <= 0)
            return (false, default!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(timeout.Token))
            {
                if (_inbox.Reader.TryRead(out var message))
                    return (true, message);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Deadline reached; reported by the caller, which knows what it was waiting for.
        }

        return (false, default!);
    }

    private void Record(T message)
    {
        lock (_lock)
            _received.Add(message);
    }

    private ExpectationFailedException Failure(string what)
    {
        var received = Received;
        var shown = received.Skip(Math.Max(0, received.Count - HistoryShownInFailures)).Select(Describe);
        return new ExpectationFailedException(
            $"{Path}: {what}.{Environment.NewLine}Received since creation ({received.Count}, latest last): [{string.Join(", ", shown)}]");
    }
}
