using Akka.Actor;
using Akka.TestKit;
using Mesh.Cluster.Protocol;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Control.Tests;

/// <summary>A test probe watching one identity's snapshots at the snapshot server, as a proxy would.</summary>
internal sealed class SnapshotProbe
{
    private readonly List<EgressSnapshot> _received = [];

    public SnapshotProbe(TestProbe probe, IActorRef server, string identity)
    {
        Probe = probe;
        server.Tell(new WatchSnapshots(ServiceAccountIdentity.Parse(identity), probe.Ref, HaveVersion: null));
    }

    public TestProbe Probe { get; }

    /// <summary>Every snapshot expected so far, oldest first.</summary>
    public IReadOnlyList<EgressSnapshot> Received => _received;

    /// <summary>Rules as <c>policy:port/protocol</c>, the shape assertions compare.</summary>
    public static string Describe(EgressSnapshot snapshot) =>
        string.Join(",", snapshot.Rules.Select(r => $"{r.Ref.Policy.Name}:{r.Ref.Port}/{r.Ref.ProtocolName}"));

    /// <summary>The next snapshot must have exactly these rules.</summary>
    public async Task<EgressSnapshot> ExpectAsync(string rules, TimeSpan? within = null)
    {
        var message = await Probe.ExpectMsgAsync<SnapshotPublished>(
            m => Assert.Equal(rules, Describe(m.Snapshot)), within ?? TimeSpan.FromSeconds(3));
        _received.Add(message.Snapshot);
        return message.Snapshot;
    }

    /// <summary>Skips snapshots until one has these rules (a burst may publish intermediate ones).</summary>
    public async Task<EgressSnapshot> FishForAsync(string rules, TimeSpan within)
    {
        var message = (SnapshotPublished)await Probe.FishForMessageAsync(
            m => m is SnapshotPublished p && Describe(p.Snapshot) == rules, within);
        _received.Add(message.Snapshot);
        return message.Snapshot;
    }

    /// <summary>No snapshot over a (dilated) window: 400 ms by default, longer than a debounce flush.</summary>
    public Task ExpectNothingAsync(TimeSpan? within = null) => Probe.ExpectNoMsgAsync(within ?? TimeSpan.FromMilliseconds(400)).AsTask();
}
