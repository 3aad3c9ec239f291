using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Protocols.Http;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Observability;

namespace Mesh.Proxy.Http;

/// <summary>
/// HTTP/1.x on a port with http rules: every request on the connection is parsed and decided on its own, with the
/// snapshot in force at that moment. Requests are handled one at a time, in order, which keeps pipelined responses
/// in order too. A request no rule allows gets a local 404 and the connection stays usable; an allowed one goes to
/// the rule's host resolved by DNS at the destination port (never to the original IP, so a forged Host header
/// reaches nothing else). Ambiguous framing is answered with 400 and a close, so no request can be smuggled; what is
/// forwarded is what was decided (<see cref="ForwardedRequestHead"/>: canonical framing, no upgrade to a protocol that
/// carries HTTP), routes are matched on every reading of the path (<see cref="RoutePath"/>), CONNECT is 405, and only
/// a 101 answering a non-HTTP upgrade the forwarded request offered becomes a tunnel (egress-semantics step 4).
/// While an allowed request is in flight (its response, or the tunnel it upgraded to) the connection actor can ask
/// <see cref="Recheck"/> whether a new snapshot still allows it.
/// The per-request async methods use pooled ValueTask builders: a kept-alive connection then allocates no state
/// machine per request, which keeps gen0 collections (and the latency tail they add) down.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "RunAsync owns the upstream session and disposes it when the connection ends.")]
internal sealed class HttpInspector(ProxyContext context, Peer client, IPEndPoint destination, NetAddress address, ByteCounters bytes)
{
    private readonly HttpRequestHead _request = new();
    private readonly HttpResponseHead _response = new();
    private readonly ForwardedRequestHead _forwarded = new();
    private UpstreamSession? _upstream;
    private Task<bool> _requestBody = Task.FromResult(true);
    private volatile bool _requestBodyBroken;

    // Guards the request in flight against a concurrent Recheck: _request is only parsed anew once _inFlightHost is null.
    private readonly Lock _gate = new();
    private string? _inFlightHost;
    private bool _tunnel;
    private bool _revoked;

    /// <summary>The client's end, for a reset from the connection actor.</summary>
    public Peer Client => client;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            // The wait for the next request happens here, not inside HandleRequestAsync, so an idle kept-alive
            // connection holds no suspended HandleRequestAsync (its frame is the largest of the connection's).
            while (await ReadRequestHeadAsync(ct) && await HandleRequestAsync(ct))
            {
            }
        }
        finally
        {
            await DropUpstreamAsync();
            await client.DisposeAsync();
        }
    }

    /// <summary>Handles one parsed request; false when the connection is to close.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> HandleRequestAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var host = Encoding.Latin1.GetString(_request.Authority); // also names the upstream of a wildcard rule
        if (_request.MethodKind == HttpMethodKind.Connect)
        {
            // A tunnel the origin would open is one nobody inspects: CONNECT belongs to the forward-proxy listener.
            await RejectAsync(405, Outcome.ConnectRejected, host, "mesh: CONNECT is not allowed here; requests are inspected one by one\n", ct);
            return false;
        }
        if (Decide(host, context.Snapshot!) is not { } decision)
        {
            await RejectAsync(400, Outcome.Rejected(HttpRejectReason.AmbiguousPath), host,
                "mesh: request rejected (AmbiguousPath: dot segments, escaped '/' or '\\', or double escapes)\n", ct);
            return false;
        }
        context.Metrics.DecisionLatency.Record(Stopwatch.GetElapsedTime(started));
        context.Metrics.Count(Outcome.Of(decision));

        bool keepOpen;
        if (decision.Verdict == RequestVerdict.NotFound)
        {
            // Read past the body so the next request starts where it should, then answer locally. A client that
            // sent Expect: 100-continue holds its body back until told: answer at once and close instead, since
            // whether the body follows is then up to the client (RFC 9110 §10.1.1).
            var waitsForContinue = _request.ExpectContinue && _request.Framing != BodyFraming.None;
            var bodyRead = !waitsForContinue &&
                await BodyCopier.CopyAsync(client.Reader, null, _request.Framing, _request.ContentLength, bytes, true, ct);
            keepOpen = bodyRead && _request.KeepAlive && !_request.IsUpgradeRequest;
            var body = $"mesh: no egress rule allows {MethodText} http://{host}{PathText} from {context.IdentityText}\n";
            await SendLocalAsync(404, body, close: !keepOpen, ct);
        }
        else
        {
            keepOpen = await ForwardAsync(decision, host, ct);
        }
        LogRequest(decision, host, started);
        return keepOpen;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadRequestHeadAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await client.Reader.ReadAsync(ct);
            if (result.IsCanceled) continue; // a late sniff-timeout cancellation, not an end
            var buffer = result.Buffer;
            var status = HttpRequestHeadParser.Default.TryParse(buffer, _request, out var consumed, out var reason);
            if (status == HttpHeadStatus.Complete)
            {
                client.Reader.AdvanceTo(consumed);
                return true;
            }
            if (status == HttpHeadStatus.Rejected)
            {
                client.Reader.AdvanceTo(buffer.Start);
                await RejectAsync(reason.ToStatusCode(), Outcome.Rejected(reason), null, $"mesh: request rejected ({reason})\n", ct);
                return false;
            }
            client.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) return false;
        }
    }

    /// <summary>
    /// Decides the request on both readings of its path (<see cref="RoutePath"/>: a route must allow each, the first
    /// refusal answers); null when the path has no safe reading. The readings live on the stack (or a pooled buffer
    /// for a long path) and are made again for a Recheck, so an idle connection holds no buffer for them.
    /// </summary>
    private RequestDecision? Decide(string host, EgressSnapshot snapshot)
    {
        var path = _request.Path;
        byte[]? rented = null;
        var readings = path.Length <= 512 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(2 * path.Length));
        try
        {
            if (!RoutePath.TryRead(path, readings[..path.Length], out var decodedLength, readings.Slice(path.Length, path.Length), out var plainLength))
            {
                return null;
            }
            var decoded = readings[..decodedLength];
            var plain = readings.Slice(path.Length, plainLength);
            var decision = Decide(host, snapshot, decoded);
            return decision.Verdict == RequestVerdict.NotFound || plain.SequenceEqual(decoded) ? decision
                : Decide(host, snapshot, plain) is { Verdict: RequestVerdict.NotFound } refused ? refused : decision;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Decides on one reading of the path, with method and path decoded into a stack buffer: strings for them are made
    /// only for a 404 body or an enabled decision log, never for the decision itself.
    /// </summary>
    private RequestDecision Decide(string host, EgressSnapshot snapshot, ReadOnlySpan<byte> path)
    {
        ReadOnlySpan<byte> method = _request.Method;
        var length = method.Length + path.Length;
        char[]? rented = null;
        var chars = length <= 1024 ? stackalloc char[1024] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var methodChars = chars[..Encoding.Latin1.GetChars(method, chars)];
            // RoutePath checked the bytes are UTF-8: a route's regex sees the characters the path spells.
            var pathChars = chars.Slice(methodChars.Length, Encoding.UTF8.GetChars(path, chars[methodChars.Length..]));
            var headers = new RequestHeaderView(_request);
            return snapshot.DecideRequest(address, destination.Port, host, methodChars, pathChars, ref headers);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private string MethodText => Encoding.ASCII.GetString(_request.Method);

    private string PathText => Encoding.Latin1.GetString(_request.Path);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ForwardAsync(RequestDecision decision, string host, CancellationToken ct)
    {
        lock (_gate) _inFlightHost = host; // from here a new snapshot re-decides it
        _requestBodyBroken = false;
        // A bodiless request with an idempotent method may be sent again on a new connection when a reused upstream
        // turns out to have closed before answering (RFC 9110 §9.2.2), so reuse needs no poll syscall per request to
        // look for that close first; any other request keeps the check.
        var replayable = _request.Framing == BodyFraming.None && _request.MethodKind is HttpMethodKind.Get or HttpMethodKind.Head
            or HttpMethodKind.Options or HttpMethodKind.Trace or HttpMethodKind.Put or HttpMethodKind.Delete;
        if (!await EnsureUpstreamAsync(decision, host, checkClosed: !replayable, ct)) return false;
        var upstream = _upstream!;
        lock (_gate)
        {
            // Revoked while connecting upstream: the request is not sent at all.
            if (_revoked) return false;
        }
        _forwarded.Prepare(_request);
        var mayReplay = replayable && upstream.RequestsServed > 0;
        var sent = await TrySendHeadAsync(upstream, mayReplay, ct);
        var first = sent ? await RelayResponseAsync(upstream, mayReplay, ct) : default;
        if (!sent || first.UpstreamGone)
        {
            // The reused upstream had closed: once more, on a fresh connection.
            await DropUpstreamAsync();
            if (!await EnsureUpstreamAsync(decision, host, checkClosed: false, ct)) return false;
            upstream = _upstream!;
            await TrySendHeadAsync(upstream, mayReplay: false, ct);
            first = await RelayResponseAsync(upstream, mayReplay: false, ct);
        }
        var (responded, reusable, _) = first;
        var bodyComplete = await _requestBody;
        reusable &= bodyComplete;
        bool revoked;
        lock (_gate)
        {
            revoked = _revoked;
            _inFlightHost = null;
        }
        upstream.RequestsServed++;
        if (!reusable) await DropUpstreamAsync();
        // A response finished after a snapshot revoked its request: the connection ends cleanly here.
        return responded && reusable && bodyComplete && _request.KeepAlive && !revoked;
    }

    /// <summary>Sends the request head, then its body alongside the response; false when a replayable send found the upstream gone.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> TrySendHeadAsync(UpstreamSession upstream, bool mayReplay, CancellationToken ct)
    {
        try
        {
            await upstream.Peer.SendAsync(_forwarded.Bytes, ct);
        }
        catch (SocketException) when (mayReplay)
        {
            return false;
        }
        bytes.Add(upstreamBound: true, _forwarded.Bytes.Length);
        // Runs alongside the response (a server may answer before the whole body is in); a Task, to be awaited later.
        _requestBody = _request.Framing == BodyFraming.None ? Task.FromResult(true) : CopyRequestBodyAsync(upstream, ct);
        return true;
    }

    /// <summary>
    /// Copies the request body upstream. One that ends early or breaks its chunked framing can never be completed for
    /// the origin: its connection is shut, so the wait for an answer that will not come ends at once (the client gets
    /// 400, or the connection closes) instead of at the idle timeout, and no byte after the fault is forwarded.
    /// </summary>
    private async Task<bool> CopyRequestBodyAsync(UpstreamSession upstream, CancellationToken ct)
    {
        var complete = await BodyCopier.CopyAsync(client.Reader, upstream.Peer, _request.Framing, _request.ContentLength, bytes, true, ct);
        if (!complete)
        {
            _requestBodyBroken = true;
            upstream.Abort();
        }
        return complete;
    }

    private ValueTask DropUpstreamAsync()
    {
        var upstream = _upstream;
        _upstream = null;
        return upstream?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> EnsureUpstreamAsync(RequestDecision decision, string host, bool checkClosed, CancellationToken ct)
    {
        if (decision.Verdict != RequestVerdict.AllowToHost)
        {
            if (Reusable([], originalDestination: true, checkClosed)) return true;
            await DropUpstreamAsync();
            return await ConnectUpstreamAsync(null, c => UpstreamPeers.ConnectAsync(context, client, destination, c), ct);
        }
        if (HostToOpen(decision, host, checkClosed) is not { } hostText) return true;
        await DropUpstreamAsync();
        return await ConnectUpstreamAsync(hostText, c => UpstreamPeers.ConnectAsync(context, client, hostText, destination.Port, c), ct);
    }

    /// <summary>The rule's host a request goes to (lower case), or null when the kept-alive upstream goes there already.</summary>
    private string? HostToOpen(RequestDecision decision, string host, bool checkClosed)
    {
        HostName.TryStripPort(host, destination.Port, out var name);
        var upstreamHost = decision.UpstreamHost is { } ruleHost ? ruleHost.AsSpan() : name.TrimEnd('.');
        return Reusable(upstreamHost, originalDestination: false, checkClosed) ? null
            : decision.UpstreamHost ?? upstreamHost.ToString().ToLowerInvariant();
    }

    /// <summary>
    /// Re-decides the request in flight, if any, against <paramref name="snapshot"/> (called from the connection
    /// actor's mailbox loop, concurrently with the request's own relay). A request the snapshot would now answer 404
    /// is revoked: a tunnel must be reset at once; a response may finish, and the connection then closes.
    /// </summary>
    public HttpRecheck Recheck(EgressSnapshot snapshot, out DecisionReason reason)
    {
        lock (_gate)
        {
            reason = default;
            if (_inFlightHost is null) return HttpRecheck.StillAllowed;
            // The path had a safe reading when the request was decided; it is the same request.
            var decision = Decide(_inFlightHost, snapshot) ?? new(RequestVerdict.NotFound, DecisionReason.HttpNoMatchingRoute, null, null, null);
            reason = decision.Reason;
            if (decision.Verdict != RequestVerdict.NotFound) return HttpRecheck.StillAllowed;
            _revoked = true;
            return _tunnel ? HttpRecheck.ResetNow : HttpRecheck.FinishResponse;
        }
    }

    /// <summary>Whether the kept-alive upstream goes where this request must (and, if asked, has not been closed).</summary>
    private bool Reusable(ReadOnlySpan<char> host, bool originalDestination, bool checkClosed) =>
        // Readable while idle means the origin closed it (or sent bytes nobody asked for): not fit for another request.
        _upstream is { } existing && existing.GoesTo(host, originalDestination) && !(checkClosed && existing.Peer.ReadableWhileIdle());

    private async Task<bool> ConnectUpstreamAsync(string? host, Func<CancellationToken, Task<Peer>> connect, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            _upstream = new UpstreamSession(await connect(ct), host);
            context.Metrics.UpstreamConnectLatency.Record(Stopwatch.GetElapsedTime(started));
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await BodyCopier.CopyAsync(client.Reader, null, _request.Framing, _request.ContentLength, bytes, true, ct);
            await SendLocalAsync(502, $"mesh: upstream {(host is null ? destination.ToString() : $"{host}:{destination.Port}")} is unreachable\n", close: true, ct);
            return false;
        }
    }

    /// <summary>Relays interim responses, then the final one with its body. Returns (a response was sent, upstream reusable).</summary>
    /// <summary>
    /// Relays interim responses, then the final one with its body. UpstreamGone: a reused upstream closed or reset
    /// before sending a byte, and the request may be replayed (<paramref name="mayReplay"/>); nothing reached the client.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(bool Responded, bool Reusable, bool UpstreamGone)> RelayResponseAsync(UpstreamSession upstream, bool mayReplay, CancellationToken ct)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await upstream.Reader.ReadAsync(ct);
            }
            catch (Exception e) when (mayReplay && e is IOException or SocketException)
            {
                return (false, false, true);
            }
            var buffer = result.Buffer;
            if (mayReplay && buffer.IsEmpty && result.IsCompleted) return (false, false, true);
            mayReplay = false; // a byte of the response arrived: it is this request's answer
            var status = HttpResponseHeadParser.Default.TryParse(buffer, _request.MethodKind, _response, out var consumed, out _);
            if (status == HttpHeadStatus.NeedMoreData && !result.IsCompleted)
            {
                upstream.Reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            if (status != HttpHeadStatus.Complete)
            {
                upstream.Reader.AdvanceTo(buffer.End);
                if (_requestBodyBroken) await SendLocalAsync(400, "mesh: request rejected (the body ended early or its chunked framing is invalid)\n", close: true, ct);
                else await SendLocalAsync(502, "mesh: the upstream sent no valid response\n", close: true, ct);
                return (false, false, false);
            }
            if (_response.SwitchesToTunnel && !UpgradeProtocols.IsAnswerTo(_response.UpgradeLines == 1 ? _response.Upgrade : default, _forwarded.OfferedUpgrade))
            {
                // A switch the forwarded request did not ask for (no upgrade offered, one removed as h2c, a 2xx to a
                // CONNECT that was never sent, or another protocol): never relayed, never a tunnel.
                upstream.Reader.AdvanceTo(buffer.End);
                context.Metrics.Count(Outcome.ProtocolSwitchRejected);
                await SendLocalAsync(502, "mesh: the upstream switched protocols, which the request did not ask for\n", close: true, ct);
                return (false, false, false);
            }
            // The head goes on verbatim, straight from the pipe, together with whatever of a Content-Length body came
            // with it: a small response leaves in one send and one segment, not two.
            var headLength = buffer.Slice(0, consumed).Length;
            var inline = _response is { IsInterim: false, SwitchesToTunnel: false, Framing: BodyFraming.ContentLength }
                ? Math.Min(buffer.Length - headLength, _response.ContentLength)
                : 0;
            var first = buffer.Slice(0, headLength + inline);
            await BodyCopier.SendAsync(client, first, bytes, upstreamBound: false, ct);
            upstream.Reader.AdvanceTo(first.End);
            if (_response.IsInterim) continue;
            if (_response.SwitchesToTunnel)
            {
                // An allowed request upgraded (e.g. a WebSocket): the connection is a tunnel from here on, and is
                // revoked like any opaque flow.
                lock (_gate) _tunnel = true;
                await Task.WhenAll(
                    BodyCopier.TunnelAsync(client.Reader, upstream.Peer, bytes, true, ct),
                    BodyCopier.TunnelAsync(upstream.Reader, client, bytes, false, ct));
                return (true, false, false);
            }
            var complete = await BodyCopier.CopyAsync(upstream.Reader, client, _response.Framing, _response.ContentLength - inline, bytes, false, ct);
            return (true, complete && _response.KeepAlive && _response.Framing != BodyFraming.CloseDelimited, false);
        }
    }

    /// <summary>Refuses the request (and closes): counted, logged, answered with <paramref name="status"/>.</summary>
    private async Task RejectAsync(int status, Outcome outcome, string? host, string body, CancellationToken ct)
    {
        context.Metrics.Count(outcome);
        Log(outcome, host, durationMs: 0); // a null host: the head did not parse, nothing of it is known
        await SendLocalAsync(status, body, close: true, ct);
    }

    private async Task SendLocalAsync(int status, string body, bool close, CancellationToken ct)
    {
        var response = LocalResponse.Create(status, LocalResponse.ReasonPhrase(status), body, close, _request.MethodKind == HttpMethodKind.Head);
        await client.SendAsync(response, ct);
        if (close) client.ShutdownSend();
    }

    private void LogRequest(RequestDecision decision, string host, long started) =>
        Log(Outcome.Of(decision), host, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    /// <summary>The request's decision-log line: with its method and path when its head was parsed (a host is known).</summary>
    private void Log(Outcome outcome, string? host, double durationMs)
    {
        if (!context.Log.IsEnabled) return; // the record's strings are made only for a log that is written
        var parsed = host is not null;
        context.Log.Write(new DecisionRecord(outcome, context.IdentityText, destination)
        {
            Host = host,
            Method = parsed ? MethodText : null,
            Path = parsed ? PathText : null,
            BytesUp = bytes.Up,
            BytesDown = bytes.Down,
            DurationMs = durationMs,
        });
    }
}
