using System.Text.Json;

namespace Mesh.E2E.World;

/// <summary>
/// Reads what the origins saw. Tests take a <see cref="Mark"/> before an attempt and look only at the entries
/// after it, so a denied flow can be shown to have caused no connection at all.
/// </summary>
public sealed class OriginLog(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Path { get; } = path;

    /// <summary>The number of complete lines so far.</summary>
    public int Mark() => ReadLines().Count;

    public IReadOnlyList<OriginLogEntry> Since(int mark) =>
        ReadLines().Skip(mark)
            .Select(line => JsonSerializer.Deserialize<OriginLogEntry>(line, Json)
                ?? throw new InvalidOperationException($"bad origin log line: {line}"))
            .ToList();

    /// <summary>For assertion messages: the entries since the mark, one per line.</summary>
    public string Describe(int mark)
    {
        var entries = Since(mark);
        return entries.Count == 0 ? "(origin log: nothing since mark)" : "origin log since mark:\n" + string.Join('\n', entries);
    }

    private List<string> ReadLines()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        // A line still being written has no newline yet; it is counted once it is complete.
        var complete = text.LastIndexOf('\n');
        return complete < 0 ? [] : text[..complete].Split('\n').ToList();
    }
}
