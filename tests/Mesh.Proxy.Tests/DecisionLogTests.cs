using System.Net;
using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
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

    [Fact]
    public async Task A_record_is_one_json_line_with_the_fields_users_read_in_their_order_and_absent_ones_left_out()
    {
        using var output = new StringWriter();
        var log = new DecisionLog(output);
        var rule = new RuleRef(new ResourceKey(ResourceKind.Egress, "curl", "tcp-443"), 443, EgressProtocol.Tcp);
        log.Write(new DecisionRecord(Outcome.Of(new ConnectionDecision(ConnectionVerdict.Allow, DecisionReason.TcpRule, rule)), "curl/curl",
            IPEndPoint.Parse("[2001:db8::2]:443"))
        {
            Sni = "httpbin.org",
            BytesUp = 517,
            BytesDown = 4096,
            DurationMs = 12.5,
        });
        log.Write(Record(7));
        await log.DisposeAsync();

        Assert.Equal(
            [
                """{"kind":"connection","identity":"curl/curl","destination":"[2001:db8::2]:443","sni":"httpbin.org","verdict":"Allow","reason":"TcpRule","rule":"Egress curl/tcp-443 port 443/tcp","bytesUp":517,"bytesDown":4096,"durationMs":12.5}""",
                """{"kind":"request","identity":"curl/curl","destination":"198.18.0.2:80","host":"httpbin.org","method":"GET","path":"/7","verdict":"AllowToHost","reason":"HttpAllowedByHost","bytesUp":0,"bytesDown":0,"durationMs":0.1}""",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static DecisionRecord Record(int i) =>
        new(Outcome.Of(new RequestDecision(RequestVerdict.AllowToHost, DecisionReason.HttpAllowedByHost, null, null, null)), "curl/curl",
            IPEndPoint.Parse("198.18.0.2:80"))
        {
            Host = "httpbin.org",
            Method = "GET",
            Path = $"/{i}",
            DurationMs = 0.1,
        };

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
