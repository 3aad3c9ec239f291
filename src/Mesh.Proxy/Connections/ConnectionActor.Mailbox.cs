using Mesh.Policy.Decisions;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Http;
using Mesh.Proxy.Observability;

namespace Mesh.Proxy.Connections;

/// <summary>
/// The actor's mailbox side: new snapshots re-decide the live flow (or the HTTP request in flight) and revoke what
/// they no longer allow; the node's idle sweep and shutdown arrive here too.
/// </summary>
internal sealed partial class ConnectionActor
{
    private async Task ControlLoopAsync()
    {
        // WaitToRead/TryRead rather than ReadAllAsync: no enumerator object held by every idle connection.
        var mailbox = _mailbox.Reader;
        while (await mailbox.WaitToReadAsync())
        {
            while (mailbox.TryRead(out var message))
            {
                if (!await HandleAsync(message)) return;
            }
        }
    }

    /// <summary>Handles one message; false once the connection is being closed.</summary>
    private async Task<bool> HandleAsync(ConnectionMessage message)
    {
        switch (message)
        {
            case ConnectionMessage.Stop:
                await _lifetime.CancelAsync();
                return false;
            case ConnectionMessage.IdleTimeout:
                // A normal close, not a reset: nothing was refused, the connection just went quiet.
                _context.Metrics.Verdict(ProxyMetrics.ConnectionKind, "Closed", "IdleTimeout", null);
                await _lifetime.CancelAsync();
                return false;
        }
        // A new snapshot. The newest, not the message's: with a one-slot mailbox an older message can outlive a newer one.
        var snapshot = _context.Snapshot!;
        if (_flow is { } flow)
        {
            // The whole path a new connection would take: a server-first rule allows on accept; otherwise the flow
            // is judged by what was sniffed (a server-first flow never showed its bytes: opaque).
            var verdict = snapshot.DecideOnAccept(_address, _destination.Port);
            if (verdict.Verdict == ConnectionVerdict.Sniff)
            {
                verdict = snapshot.DecideSniffed(_address, _destination.Port, flow.Protocol, flow.Sni);
            }
            if (verdict.Verdict == ConnectionVerdict.Allow) return true;
            await RevokeAsync(snapshot, verdict.Reason, flow.Sni);
            return false;
        }
        if (_http is { } http)
        {
            switch (http.Recheck(snapshot, out var reason))
            {
                case HttpRecheck.ResetNow:
                    await RevokeAsync(snapshot, reason, null);
                    return false;
                case HttpRecheck.FinishResponse when _revocationDeadline.IsCompleted:
                    _revocationDeadline = ResetAtRevocationDeadlineAsync(snapshot, reason);
                    break;
            }
        }
        return true;
    }

    private async Task RevokeAsync(EgressSnapshot snapshot, DecisionReason reason, string? sni)
    {
        _context.Metrics.Revoked();
        ProxyLog.Revoked(_context.Logger, _destination, snapshot.Version, reason);
        Reset("Revoked", reason.ToString(), null, sni);
        await _lifetime.CancelAsync();
    }

    /// <summary>
    /// A revoked HTTP response that is still in flight when the deadline passes is cut off with a reset; one that
    /// finishes first ends the connection itself, which cancels this wait.
    /// </summary>
    private async Task ResetAtRevocationDeadlineAsync(EgressSnapshot snapshot, DecisionReason reason)
    {
        try
        {
            await Task.Delay(_context.Options.RevocationDeadline, _lifetime.Token);
        }
        catch (OperationCanceledException)
        {
            return; // the response finished and the connection closed, or the node is stopping
        }
        await RevokeAsync(snapshot, reason, null);
    }
}
