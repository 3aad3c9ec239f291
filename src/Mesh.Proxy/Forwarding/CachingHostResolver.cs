using System.Collections.Concurrent;
using System.Net;

namespace Mesh.Proxy.Forwarding;

/// <summary>
/// Keeps a host's addresses for <c>ttl</c> after a lookup answers, and lets concurrent lookups of one host share one
/// (a lookup in flight is never started again, however long DNS takes). An http rule connects to the request's host by
/// name, so without it every new client connection resolved it again (<c>getaddrinfo</c> on a pool thread: the hosts
/// file, then DNS). Envoy re-resolves a DNS cluster every 5 s by default (<c>dns_refresh_rate</c>); the same here
/// (<c>mesh.proxy.dns-cache-ttl</c>). A failed lookup is not kept: the next connection asks again. Only names an
/// allowing decision chose get here (the node's upstream connector; the forward-proxy listener resolves the names its
/// clients give without it), but a wildcard rule admits many, so the table is bounded.
/// </summary>
internal sealed class CachingHostResolver(IHostResolver inner, TimeSpan ttl, TimeProvider time) : IHostResolver
{
    internal const int MaxHosts = 1024;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (ttl <= TimeSpan.Zero) return inner.ResolveAsync(host, cancellationToken);
        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(host, out var entry) || entry.IsStale(now))
        {
            if (_entries.Count >= MaxHosts) Trim(now);
            var fresh = new Entry();
            entry = _entries.AddOrUpdate(host, fresh, (_, current) => current.IsStale(now) ? fresh : current);
            // Only the entry that went in looks up; not on this caller's token: others may wait for the same answer.
            if (ReferenceEquals(entry, fresh)) _ = LookUpAsync(host, fresh);
        }
        var addresses = entry.Lookup.Task;
        return addresses.IsCompleted ? addresses : addresses.WaitAsync(cancellationToken);
    }

    private async Task LookUpAsync(string host, Entry entry)
    {
        try
        {
            var addresses = await inner.ResolveAsync(host, CancellationToken.None).ConfigureAwait(false);
            entry.Answered(time.GetUtcNow() + ttl);
            entry.Lookup.SetResult(addresses);
        }
        catch (Exception e)
        {
            entry.Lookup.SetException(e); // handed to every waiter, as the resolver threw it
            _ = entry.Lookup.Task.Exception; // observed: when every waiter gave up first, a failed lookup is no news
        }
    }

    /// <summary>Drops stale entries; if the table is still full, all of them (a wildcard rule's names come and go).</summary>
    private void Trim(DateTimeOffset now)
    {
        foreach (var pair in _entries)
        {
            if (pair.Value.IsStale(now)) _entries.TryRemove(pair);
        }
        if (_entries.Count >= MaxHosts) _entries.Clear();
    }

    private sealed class Entry
    {
        private long _expiresAtTicks = long.MaxValue; // in flight: shared, never stale

        public TaskCompletionSource<IPAddress[]> Lookup { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answered(DateTimeOffset expiresAt) => Volatile.Write(ref _expiresAtTicks, expiresAt.UtcTicks);

        /// <summary>Expired, or failed (a failure is not kept: the next caller asks again).</summary>
        public bool IsStale(DateTimeOffset now) =>
            Lookup.Task.IsFaulted || Lookup.Task.IsCanceled || now.UtcTicks >= Volatile.Read(ref _expiresAtTicks);
    }
}
