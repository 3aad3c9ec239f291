using System.Collections.Concurrent;
using System.Text.Json;
using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// The lenient origins in the internet namespace, one process per world, started by the first case that needs them:
/// <see cref="LenientPort"/> reads framing as lenient servers do, <see cref="LiteralPort"/> as literal ones do (see
/// Mesh.E2E.Origin/Lenient/FramingDialect.cs); both listen on every address of the internet namespace.
/// </summary>
internal sealed class LenientOrigin
{
    public const int LenientPort = 8080;
    public const int LiteralPort = 8081;

    private static readonly ConcurrentDictionary<TestWorld, Lazy<Task<LenientOrigin>>> Started = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private LenientOrigin(string logPath) => LogPath = logPath;

    public string LogPath { get; }

    public static Task<LenientOrigin> ForAsync(TestWorld world) =>
        Started.GetOrAdd(world, w => new Lazy<Task<LenientOrigin>>(() => StartAsync(w))).Value;

    private static async Task<LenientOrigin> StartAsync(TestWorld world)
    {
        var logPath = Path.Combine(world.Names.Directory, "lenient-origin.log");
        await world.StartOriginAsync(world.Names.InternetNamespace, logPath,
            ["--lenient-http", $"0.0.0.0:{LenientPort}", "--literal-http", $"0.0.0.0:{LiteralPort}"]);
        return new LenientOrigin(logPath);
    }

    /// <summary>The number of complete lines so far: take it before an attempt, then read what came after it.</summary>
    public int Mark() => ReadLines().Count;

    public IReadOnlyList<LenientLogEntry> Since(int mark) =>
        [.. ReadLines().Skip(mark).Select(line => JsonSerializer.Deserialize<LenientLogEntry>(line, Json)
            ?? throw new InvalidOperationException($"bad lenient origin log line: {line}"))];

    public string Describe(int mark)
    {
        var entries = Since(mark);
        return entries.Count == 0 ? "(lenient origin: nothing since the mark)" : "lenient origin since the mark:\n  " + string.Join("\n  ", entries);
    }

    private List<string> ReadLines()
    {
        if (!File.Exists(LogPath)) return [];
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n');
        return complete < 0 ? [] : [.. text[..complete].Split('\n')];
    }
}
