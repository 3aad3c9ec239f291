using Mesh.Proxy.Observability;
using Prometheus;

namespace Mesh.Cli.Hosting;

/// <summary>Opens and closes the JSON decision log a proxy writes (stdout, a file, or none).</summary>
internal static class DecisionLogs
{
    public static (TextWriter? Writer, DecisionLog Log) Open(string target, CollectorRegistry registry)
    {
        var writer = target switch
        {
            "none" => null,
            "stdout" => TextWriter.Synchronized(Console.Out),
            var path => TextWriter.Synchronized(new StreamWriter(path, append: true)),
        };
        return (writer, writer is null ? DecisionLog.None : new DecisionLog(writer, registry));
    }

    /// <summary>Writes what is queued, then closes the writer.</summary>
    public static async Task CloseAsync(TextWriter? writer, DecisionLog? log)
    {
        if (log is not null && !ReferenceEquals(log, DecisionLog.None)) await log.DisposeAsync();
        if (writer is not null) await writer.DisposeAsync();
    }
}
