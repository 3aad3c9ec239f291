using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Proxy.Tests;

/// <summary>
/// An http rule's host resolved once per TTL, not once per connection; a failure never kept; one lookup shared by the
/// connections that wait for it; a bounded table.
/// </summary>
public sealed class CachingHostResolverTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    private static readonly IPAddress First = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress Second = IPAddress.Parse("10.0.0.2");
    private readonly FakeTimeProvider _time = new();
    private readonly HostTable _hosts = new();

    [Fact]
    public async Task A_host_is_looked_up_once_within_the_ttl_and_again_after_it()
    {
        var resolver = new CachingHostResolver(_hosts, Ttl, _time);
        _hosts.Add("api.example.com", First);

        Assert.Equal([First], await resolver.ResolveAsync("api.example.com", default));
        _hosts.Add("api.example.com", Second); // the name moves
        _time.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.Equal([First], await resolver.ResolveAsync("API.example.com", default)); // names are case-insensitive
        Assert.Single(_hosts.Lookups);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Second], await resolver.ResolveAsync("api.example.com", default));
        Assert.Equal(2, _hosts.Lookups.Count);
    }

    [Fact]
    public async Task A_failed_lookup_is_not_kept()
    {
        var resolver = new CachingHostResolver(_hosts, Ttl, _time);

        await Assert.ThrowsAsync<SocketException>(() => resolver.ResolveAsync("late.example.com", default));
        _hosts.Add("late.example.com", First);

        Assert.Equal([First], await resolver.ResolveAsync("late.example.com", default));
        Assert.Equal(2, _hosts.Lookups.Count);
    }

    [Fact]
    public async Task Connections_waiting_for_one_host_share_one_lookup_and_one_giving_up_leaves_the_others_theirs()
    {
        var gate = new GatedResolver();
        var resolver = new CachingHostResolver(gate, Ttl, _time);
        using var firstGivesUp = new CancellationTokenSource();

        var first = resolver.ResolveAsync("slow.example.com", firstGivesUp.Token);
        var second = resolver.ResolveAsync("slow.example.com", default);
        await firstGivesUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gate.Answer.SetResult([First]);

        Assert.Equal([First], await second);
        Assert.Equal(1, gate.Lookups);
        Assert.False(gate.LookupToken.CanBeCanceled); // no caller's token reaches the shared lookup
    }

    [Fact]
    public async Task A_lookup_slower_than_the_ttl_is_shared_not_repeated_and_its_answer_kept_from_when_it_came()
    {
        var gate = new GatedResolver();
        var resolver = new CachingHostResolver(gate, Ttl, _time);

        var first = resolver.ResolveAsync("slow.example.com", default);
        _time.Advance(Ttl * 2); // DNS still answering
        var second = resolver.ResolveAsync("slow.example.com", default);
        gate.Answer.SetResult([First]);
        Assert.Equal([First], await first);
        Assert.Equal([First], await second);
        Assert.Equal(1, gate.Lookups);

        _time.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.Equal([First], await resolver.ResolveAsync("slow.example.com", default));
        Assert.Equal(1, gate.Lookups);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([First], await resolver.ResolveAsync("slow.example.com", default));
        Assert.Equal(2, gate.Lookups);
    }

    [Fact]
    public async Task The_table_is_bounded()
    {
        var resolver = new CachingHostResolver(_hosts, Ttl, _time);
        for (var i = 0; i <= CachingHostResolver.MaxHosts; i++)
        {
            _hosts.Add($"h{i}.example.com", First);
            await resolver.ResolveAsync($"h{i}.example.com", default);
        }

        // Full with live entries when the last came: the table started over, so the first is looked up again.
        await resolver.ResolveAsync("h0.example.com", default);
        Assert.Equal(2, _hosts.Lookups.Count(h => h == "h0.example.com"));
    }

    private sealed class GatedResolver : IHostResolver
    {
        public TaskCompletionSource<IPAddress[]> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Lookups { get; private set; }

        public CancellationToken LookupToken { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Lookups++;
            LookupToken = cancellationToken;
            return Answer.Task;
        }
    }
}
