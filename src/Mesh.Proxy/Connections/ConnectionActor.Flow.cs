using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Mesh.Policy.Decisions;
using Mesh.Policy.Snapshots;
using Mesh.Protocols.Sniffing;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Http;
using Mesh.Proxy.Observability;
using Mesh.Proxy.Transport;

namespace Mesh.Proxy.Connections;

/// <summary>
/// The flow task: decide on accept, sniff, decide again, then forward, inspect HTTP, or reset. It runs outside the
/// mailbox (on socket completions), so it never touches <c>Context</c>; it tells the actor through <c>_self</c>.
/// </summary>
internal sealed partial class ConnectionActor
{
    /// <summary>The flow task: owns the sockets until the connection ends, whatever ends it.</summary>
    private async Task RunFlowAsync()
    {
        context.Metrics.ConnectionOpened();
        context.Live.Opened();
        try
        {
            await OwnConnectionAsync(_lifetime.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // revoked, reset by a peer, or the node is stopping
        }
        catch (Exception e)
        {
            ProxyLog.ConnectionFailed(context.Logger, e, _destination);
        }
        finally
        {
            ReleaseQueued(); // a flow refused, or one that failed before replaying them
            _client.Dispose();
            context.Metrics.ConnectionClosed(_bytes.Up, _bytes.Down);
            context.Live.Closed();
        }
    }

    private async Task OwnConnectionAsync(CancellationToken ct)
    {
        var snapshot = context.Snapshot;
        if (snapshot is null)
        {
            Reset(Outcome.RefusedWithoutSnapshot, null);
            return;
        }
        var decideStart = Stopwatch.GetTimestamp();
        var first = snapshot.DecideOnAccept(_address, _destination.Port);
        context.Metrics.DecisionLatency.Record(Stopwatch.GetElapsedTime(decideStart));
        if (first.Verdict is ConnectionVerdict.Deny or ConnectionVerdict.Refuse)
        {
            if (_reader is null) await UntilClientSpeaksAsync(ct);
            Reset(Outcome.Of(first), null);
            return;
        }
        if (first.Verdict == ConnectionVerdict.Allow)
        {
            // Bytes a forward-proxy client sent right after CONNECT are already in its reader: replay them too.
            var early = _reader is not null && _reader.TryRead(out var buffered)
                ? (_reader, new SniffResult(SniffedProtocol.Opaque, "", buffered.Buffer, TimedOut: false))
                : ((PipeReader?, SniffResult)?)null;
            await ForwardAsync(new FlowFacts(ServerFirst: true, SniffedProtocol.Opaque, ""), first, snapshot, early, ct);
            return;
        }

        _queued = _reader is null ? QueuedBytes.TryRead(_client) : null;
        var timedOut = false;
        if (_queued is null && _reader is null && context.Transport is { } transport)
        {
            // Nothing queued yet: wait on the transport's loop rather than on .NET's, so that the flow can still go there.
            if (await transport.WaitReadableAsync(_client, ConnectionSniffer.TimeoutFor(snapshot, _destination.Port, context.Options), ct))
            {
                _queued = QueuedBytes.TryRead(_client);
            }
            else
            {
                timedOut = true;
            }
        }
        var (reader, sniff) = timedOut
            ? (null, new SniffResult(SniffedProtocol.Undecided, "", ReadOnlySequence<byte>.Empty, TimedOut: true))
            : await SniffAsync(snapshot, ct);
        snapshot = context.Snapshot!; // the newest: it may have changed while the client was talking
        decideStart = Stopwatch.GetTimestamp();
        var decision = snapshot.DecideSniffed(_address, _destination.Port, sniff.Protocol, sniff.Sni);
        context.Metrics.DecisionLatency.Record(Stopwatch.GetElapsedTime(decideStart));
        switch (decision.Verdict)
        {
            case ConnectionVerdict.Allow:
                await ForwardAsync(new FlowFacts(false, sniff.Protocol, sniff.Sni), decision, snapshot, (reader, sniff), ct);
                break;
            case ConnectionVerdict.InspectHttp:
                // Nothing consumed: the inspector parses from the first byte.
                var client = OpenHttpClient(reader, sniff);
                context.Metrics.Count(Outcome.Of(decision));
                var http = new HttpInspector(context, client, _destination, _address, _bytes);
                _http = http;
                await http.RunAsync(ct); // disposes the client's peer, whatever ends it
                break;
            default:
                Reset(Outcome.Of(decision), sniff.Sni);
                break;
        }
    }

    /// <summary>
    /// Sniffs the bytes the client had queued when they tell (no reader then: nothing waited); otherwise waits for
    /// more through the client's reader, which yields the queued bytes first.
    /// </summary>
    private async ValueTask<(PipeReader? Reader, SniffResult Sniff)> SniffAsync(EgressSnapshot snapshot, CancellationToken ct)
    {
        if (_queued is { } queued)
        {
            var protocol = ConnectionSniffer.Classify(queued.Bytes, context.Options.MaxSniffBytes, out var sni);
            if (protocol != SniffedProtocol.Undecided) return (null, new SniffResult(protocol, sni, queued.Bytes, TimedOut: false));
        }
        var reader = _reader ?? (_queued is null ? ClientPipe.Create(_client) : ClientPipe.Create(_client, _queued.ToArray()));
        ReleaseQueued();
        var sniff = await ConnectionSniffer.SniffAsync(reader, context.Options.MaxSniffBytes,
            ConnectionSniffer.TimeoutFor(snapshot, _destination.Port, context.Options), ct);
        return (reader, sniff);
    }

    /// <summary>
    /// The client as the HTTP inspector reads it: on the epoll transport when .NET never waited on it (its first bytes
    /// were read while queued), like a forwarded flow; otherwise through the pipe the sniff read it with, or a new one.
    /// </summary>
    private Peer OpenHttpClient(PipeReader? reader, SniffResult sniff)
    {
        if (reader is null && _reader is null && context.Transport is { } transport)
        {
            // The queued bytes are copied into the reader's own buffer, which later bytes join.
            var peer = EpollPeer.ForClient(transport, _client, _queued is { } q ? q.Bytes.FirstSpan : default, ClientPipe.Options);
            ReleaseQueued();
            return peer;
        }
        var queued = _queued?.ToArray();
        ReleaseQueued();
        if (reader is null) reader = queued is null ? ClientPipe.Create(_client) : ClientPipe.Create(_client, queued);
        else reader.AdvanceTo(sniff.Buffered.Start);
        return new SocketPeer(_client, reader, ownsSocket: false);
    }

    /// <summary>Returns the queued bytes' pooled buffer once they are replayed or copied: a live flow holds none.</summary>
    private void ReleaseQueued()
    {
        _queued?.Dispose();
        _queued = null;
    }

    private async Task ForwardAsync(FlowFacts facts, ConnectionDecision decision, EgressSnapshot decidedOn,
        (PipeReader? Reader, SniffResult Sniff)? sniffed, CancellationToken ct)
    {
        var allowed = Outcome.Of(decision);
        context.Metrics.Count(allowed);
        // The epoll transport takes a client .NET never waited on: not one read through a pipe (a slow first byte, a
        // forward-proxy client), whose descriptor is on .NET's own epoll already.
        if (context.Transport is { } transport && _reader is null && sniffed is not { Reader: not null })
        {
            await ForwardOnEpollAsync(transport, facts, decision, decidedOn, sniffed?.Sniff.Buffered ?? default, ct);
            return;
        }
        var connectStart = Stopwatch.GetTimestamp();
        Socket upstream;
        try
        {
            upstream = await context.Connector.ConnectAsync(_destination, ct);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            Reset(Outcome.UpstreamUnreachable(decision.Rule), facts.Sni);
            return;
        }
        context.Metrics.UpstreamConnectLatency.Record(Stopwatch.GetElapsedTime(connectStart));
        using (upstream)
        {
            _flow = facts;
            // A snapshot applied while we were connecting found no flow to re-check: re-check now, against the newest.
            // Only then: re-deciding against the snapshot that just decided would be the same work twice per connection.
            if (!ReferenceEquals(context.Snapshot, decidedOn)) _self.Tell(SnapshotApplied.Instance);
            if (sniffed is { } s)
            {
                foreach (var segment in s.Sniff.Buffered) await TcpPump.SendAllAsync(upstream, segment, ct);
                _bytes.Add(upstreamBound: true, s.Sniff.Buffered.Length);
                s.Reader?.AdvanceTo(s.Sniff.Buffered.End);
                ReleaseQueued();
            }
            await TcpPump.RunAsync(_client, upstream, context.Options.MaxPumpBufferSize, _bytes, ct);
        }
        LogConnection(allowed, facts.Sni);
    }

    /// <summary>
    /// <see cref="ForwardAsync"/> on the epoll transport: the same steps (connect, replay the sniffed bytes, pump both
    /// ways, re-check a snapshot applied meanwhile) on one of its loops. The flow is re-checked from the start of the
    /// connect, as a revocation while connecting must abort the connect too.
    /// </summary>
    private async Task ForwardOnEpollAsync(EpollTransport transport, FlowFacts facts, ConnectionDecision decision,
        EgressSnapshot decidedOn, ReadOnlySequence<byte> first, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var flow = transport.Start(_client, _destination, first, _bytes, context.Options.MaxPumpBufferSize, context.Options.ConnectTimeout);
        ReleaseQueued(); // copied into the flow's buffer
        if (flow is null)
        {
            Reset(Outcome.UpstreamUnreachable(decision.Rule), facts.Sni);
            return;
        }
        _epoll = flow;
        _flow = facts;
        if (!ReferenceEquals(context.Snapshot, decidedOn)) _self.Tell(SnapshotApplied.Instance);
        EpollFlowEnd end;
        try
        {
            end = await EpollTransport.RunAsync(flow, ct);
        }
        finally
        {
            _epoll = null; // ended: the client's socket is the flow task's again
        }
        if (end == EpollFlowEnd.Unreachable)
        {
            _flow = null;
            Reset(Outcome.UpstreamUnreachable(decision.Rule), facts.Sni);
            return;
        }
        LogConnection(Outcome.Of(decision), facts.Sni);
    }

    /// <summary>
    /// Waits (at most 100 ms, holding no buffer) until the client has sent its first bytes or closed. A reset sent the
    /// moment the connection is accepted can reach the client before its own connect call has seen the handshake
    /// complete, and it then reads as "connection refused" (curl exit 7) rather than the reset it is (exit 56); the
    /// actor starting on the accept loop made that race common. No upstream connection exists meanwhile.
    /// </summary>
    private async Task UntilClientSpeaksAsync(CancellationToken ct)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(ct);
        grace.CancelAfter(TimeSpan.FromMilliseconds(100));
        try
        {
            await _client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, grace.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // a client that waits for the server to speak first: reset it now
        }
        catch (SocketException)
        {
            // the client is gone already; the denial is still counted and logged
        }
    }

    /// <summary>Closes with RST (linger 0): the client sees a reset, never a clean end it could mistake for success.</summary>
    private void Reset(Outcome outcome, string? sni)
    {
        context.Metrics.Count(outcome);
        LogConnection(outcome, sni);
        if (_epoll is { } flow)
        {
            flow.Abort(reset: true); // the loop holds the descriptor: it sets linger 0, and the flow's end closes it
            return;
        }
        if (_http?.Client is EpollPeer peer)
        {
            peer.Reset(); // likewise: linger 0, its waits fail, and the flow task closes the socket once the loop let go
            return;
        }
        try
        {
            _client.LingerState = new LingerOption(true, 0);
            _client.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already gone
        }
    }

    private void LogConnection(Outcome outcome, string? sni)
    {
        if (!context.Log.IsEnabled) return; // the record's strings are made only for a log that is written
        context.Log.Write(new DecisionRecord(outcome, context.IdentityText, _destination)
        {
            Sni = string.IsNullOrEmpty(sni) ? null : sni,
            BytesUp = _bytes.Up,
            BytesDown = _bytes.Down,
            DurationMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds,
        });
    }
}
