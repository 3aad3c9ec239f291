using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Storage;

/// <summary>
/// The store's history on disk (<c>journal.jsonl</c> in the state directory), one line per write or compaction, so
/// a restarted fake has the same objects, resourceVersions and watchable history, as etcd would.
/// </summary>
internal sealed class StoreJournal : IDisposable
{
    private readonly StreamWriter _writer;

    public StoreJournal(string directory)
    {
        Directory.CreateDirectory(directory);
        PathName = Path.Combine(directory, "journal.jsonl");
        _writer = new StreamWriter(new FileStream(PathName, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    public string PathName { get; }

    public static IEnumerable<JsonObject> Read(string directory)
    {
        var path = Path.Combine(directory, "journal.jsonl");
        if (!File.Exists(path)) yield break;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            // A line cut short by a crash ends the history there.
            JsonObject? record;
            try
            {
                record = JsonNode.Parse(line) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                yield break;
            }
            if (record is null) yield break;
            yield return record;
        }
    }

    public void Append(StoredEvent e)
    {
        var record = new JsonObject
        {
            ["rv"] = e.ResourceVersion,
            ["gr"] = e.GroupResource,
            ["type"] = e.Type.Wire(),
            ["object"] = e.Object.DeepClone(),
        };
        _writer.WriteLine(record.ToJsonString());
        _writer.Flush();
    }

    public void AppendCompaction(long resourceVersion)
    {
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"compact\":{resourceVersion}}}"));
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}
