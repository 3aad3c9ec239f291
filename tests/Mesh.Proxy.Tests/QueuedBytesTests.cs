using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests;

/// <summary>
/// The sniff's fast path: the client's first bytes read without waiting when they are queued, and the reader that
/// replays them ahead of the socket when they do not tell yet (a head that trickles in, or an HTTP connection).
/// </summary>
public sealed class QueuedBytesTests
{
    [Fact]
    public async Task Nothing_is_read_while_the_client_has_sent_nothing_and_the_socket_stays_readable_through_a_pipe()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (client, accepted) = await ConnectedPairAsync(ct);
        using (client)
        using (accepted)
        {
            Assert.Null(QueuedBytes.TryRead(accepted));

            await Net.SendAsync(client, "{later}", ct);
            var reader = ClientPipe.Create(accepted);
            Assert.Equal("{later}", await ReadAsciiAsync(reader, 7, ct));
        }
    }

    [Fact]
    public async Task Queued_bytes_are_read_at_once_and_a_reader_made_from_them_yields_them_before_what_follows()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (client, accepted) = await ConnectedPairAsync(ct);
        using (client)
        using (accepted)
        {
            await Net.SendAsync(client, "GET /a HTTP/1.1\r\n", ct);
            await Eventually.TrueAsync(() => accepted.Available == 17);

            using var queued = QueuedBytes.TryRead(accepted);
            Assert.NotNull(queued);
            Assert.Equal("GET /a HTTP/1.1\r\n", Encoding.ASCII.GetString(queued.Bytes));
            Assert.Equal(0, accepted.Available);

            var reader = ClientPipe.Create(accepted, queued.ToArray());
            queued.Dispose(); // the reader holds its own copy: the pooled buffer is back
            await Net.SendAsync(client, "Host: b\r\n\r\n", ct);
            Assert.Equal("GET /a HTTP/1.1\r\nHost: b\r\n\r\n", await ReadAsciiAsync(reader, 28, ct));
        }
    }

    [Fact]
    public async Task A_client_that_closed_without_a_byte_leaves_nothing_queued_and_its_end_reaches_the_pipe()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (client, accepted) = await ConnectedPairAsync(ct);
        using (accepted)
        {
            client.Shutdown(SocketShutdown.Send);
            client.Dispose();
            Assert.Null(QueuedBytes.TryRead(accepted)); // an end of stream is no byte: the pipe reports it

            var result = await ClientPipe.Create(accepted).ReadAsync(ct);
            Assert.True(result.IsCompleted);
            Assert.True(result.Buffer.IsEmpty);
        }
    }

    [Fact]
    public async Task The_replaying_reader_serves_a_zero_byte_read_at_once_and_splits_the_prefix_across_small_reads()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (client, accepted) = await ConnectedPairAsync(ct);
        using (client)
        using (accepted)
        await using (var stream = new PrefixedStream("abcdef"u8.ToArray(), new NetworkStream(accepted, ownsSocket: false)))
        {
            var small = new byte[4];
            Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty, ct));
            Assert.Equal(4, await stream.ReadAsync(small, ct));
            Assert.Equal("abcd", Encoding.ASCII.GetString(small));
            Assert.Equal(2, await stream.ReadAsync(small, ct));
            Assert.Equal("ef", Encoding.ASCII.GetString(small, 0, 2));

            await Net.SendAsync(client, "g", ct);
            Assert.Equal(1, await stream.ReadAsync(small, ct));
            Assert.Equal((byte)'g', small[0]);
        }
    }

    private static async Task<(Socket Client, Socket Accepted)> ConnectedPairAsync(CancellationToken ct)
    {
        using var listener = new LoopbackListener();
        return await listener.PairAsync(ct);
    }

    private static async Task<string> ReadAsciiAsync(PipeReader reader, int count, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            if (result.Buffer.Length >= count || result.IsCompleted)
            {
                var text = Encoding.ASCII.GetString(result.Buffer.Slice(0, Math.Min(count, result.Buffer.Length)));
                reader.AdvanceTo(result.Buffer.End);
                return text;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
