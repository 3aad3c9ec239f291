using System.Text.Json;

namespace Mesh.Proxy.Observability;

/// <summary>One line of the structured decision log.</summary>
internal sealed record DecisionRecord(
    string Kind,
    string Identity,
    string Destination,
    string? Sni,
    string? Host,
    string? Method,
    string? Path,
    string Verdict,
    string Reason,
    string? Rule,
    long BytesUp,
    long BytesDown,
    double DurationMs);

/// <summary>
/// Writes decisions as JSON lines (one object per connection or request) to a writer, stdout by default.
/// Serialised under a lock: lines never interleave, and the log is off the decision's hot path (written at the end).
/// </summary>
public sealed class DecisionLog(TextWriter writer)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lock _lock = new();

    public static DecisionLog None { get; } = new(TextWriter.Null);

    /// <summary>False for <see cref="None"/>: callers skip building a record at all.</summary>
    internal bool IsEnabled => !ReferenceEquals(writer, TextWriter.Null);

    internal void Write(DecisionRecord record)
    {
        if (!IsEnabled) return;
        var line = JsonSerializer.Serialize(record, Options);
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
