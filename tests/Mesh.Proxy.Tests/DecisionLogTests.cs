
using Mesh.Proxy.Observability;

namespace Mesh.Proxy.Tests;

/// <summary>The decision log writes in the background: a stalled output drops (and counts) records, never blocks.</summary>
public sealed class DecisionLogTests
{
    [Fact]
    public async Task A_stalled_writer_never_blocks_the_caller_and_the_records_it_could_not_take_are_counted()
    {
        using var release = new ManualResetEventSlim();
        var writer = new StallingWriter(release);
        var log = new DecisionLog(writer);
        const int Queue = 16 * 1024, Extra = 100;

        var written = Task.Run(() =>
        {
            for (var i = 0; i < Queue + Extra; i++) log.Write(Record(i));
        });
        // Returns although the writer is stuck on its first line: Write only queues.
        await written.WaitAsync(TestTime.Dilate(TimeSpan.FromSeconds(10)));
        Assert.InRange(log.Dropped, Extra - 1, Extra); // the loop may hold one record in its stuck write

        release.Set();
        await log.DisposeAsync();
        Assert.Equal(Queue + Extra - log.Dropped, writer.Lines.Count);
        Assert.Contains("\"path\":\"/0\"", writer.Lines[0], StringComparison.Ordinal); // in order, from the first
    }

    private static DecisionRecord Record(int i) =>
        new("request", "curl/curl", "198.18.0.2:80", null, "httpbin.org", "GET", $"/{i}", "AllowToHost", "HttpAllowedByHost", null, 0, 0, 0.1);

    /// <summary>A writer whose first line waits until released, like stdout piped to a stalled reader.</summary>
    private sealed class StallingWriter(ManualResetEventSlim release) : StringWriter
    {
        public List<string> Lines { get; } = [];

        public override void WriteLine(string? value)
        {
            release.Wait();
            lock (Lines) Lines.Add(value ?? "");
        }
    }
}
