using System.Text.Json;

namespace Mesh.E2E.Origin;

/// <summary>
/// Appends one JSON object per line for every accepted connection and every request, flushed at once, so a test
/// can prove that a flow the proxy denied never reached the origin.
/// </summary>
internal sealed class OriginLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;

    public OriginLog(string path)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    public void Write(OriginLogEntry entry)
    {
        var line = JsonSerializer.Serialize(entry with { Time = DateTimeOffset.UtcNow }, OriginLogJson.Default.OriginLogEntry);
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
