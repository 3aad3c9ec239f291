using System.Net;
using System.Text.Json;
using System.Threading.Channels;

namespace Mesh.Proxy.Observability;

/// <summary>
/// One line of the structured decision log. Its properties, in this order and camel-cased, are the JSON users read.
/// Made in one way: the outcome (kind, verdict, reason, rule), whose identity and which destination; everything else
/// by name, and only what the line has (absent fields are left out).
/// </summary>
internal sealed record DecisionRecord
{
    public DecisionRecord(Outcome outcome, string identity, IPEndPoint destination)
    {
        Kind = outcome.Labels.Kind;
        Identity = identity;
        Destination = destination.ToString();
        Verdict = outcome.Labels.Verdict;
        Reason = outcome.Labels.Reason;
        Rule = outcome.Rule?.ToString();
    }

    public string Kind { get; }

    public string Identity { get; }

    /// <summary>The original destination, "ip:port" or "[ipv6]:port".</summary>
    public string Destination { get; }

    public string? Sni { get; init; }

    public string? Host { get; init; }

    public string? Method { get; init; }

    public string? Path { get; init; }

    public string Verdict { get; }

    public string Reason { get; }

    public string? Rule { get; }

    public long BytesUp { get; init; }

    public long BytesDown { get; init; }

    public double DurationMs { get; init; }
}

/// <summary>
/// Writes decisions as JSON lines (one object per connection or request) to a writer, stdout by default. Connections
/// hand their records to a bounded queue and one background loop serialises and writes them in order, so a slow
/// stdout (a full pipe, a stalled log collector) never blocks a socket continuation; when the queue is full records
/// are dropped and counted (<c>mesh_decision_log_dropped_total</c>) rather than stalling traffic.
/// </summary>
public sealed class DecisionLog : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly TextWriter _writer;
    private readonly Channel<DecisionRecord> _queue =
        Channel.CreateBounded<DecisionRecord>(new BoundedChannelOptions(16 * 1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writing;
    private readonly Prometheus.Counter? _droppedCounter;
    private long _dropped;

    /// <param name="metrics">Where <c>mesh_decision_log_dropped_total</c> is counted (one log per process).</param>
    public DecisionLog(TextWriter writer, Prometheus.CollectorRegistry? metrics = null)
    {
        _writer = writer;
        _droppedCounter = metrics is null ? null : Prometheus.Metrics.WithCustomRegistry(metrics).CreateCounter(
            "mesh_decision_log_dropped_total", "Decision-log records dropped because the log writer fell behind");
        _writing = IsEnabled ? Task.Run(WriteLinesAsync) : Task.CompletedTask;
    }

    public static DecisionLog None { get; } = new(TextWriter.Null);

    /// <summary>False for <see cref="None"/>: callers skip building a record at all.</summary>
    internal bool IsEnabled => !ReferenceEquals(_writer, TextWriter.Null);

    /// <summary>Records dropped because the writer fell 16,384 records behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Write(DecisionRecord record)
    {
        if (IsEnabled && !_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
            _droppedCounter?.Inc();
        }
    }

    private async Task WriteLinesAsync()
    {
        var queue = _queue.Reader;
        while (await queue.WaitToReadAsync())
        {
            while (queue.TryRead(out var record)) _writer.WriteLine(JsonSerializer.Serialize(record, Options));
            _writer.Flush(); // once per batch: a burst of decisions costs one flush
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
    }
}
