using Mesh.Actors.TestKit;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Control.Tests;

/// <summary>Subscribes to one identity, as a proxy would, and forwards every snapshot read to a probe.</summary>
internal sealed class SnapshotProbe : IDisposable
{
    private readonly ISnapshotSubscription _subscription;

    public SnapshotProbe(ISnapshotSource source, string identity)
    {
        _subscription = source.Subscribe(ServiceAccountIdentity.Parse(identity));
        Pump = Task.Run(async () =>
        {
            await foreach (var snapshot in _subscription.Snapshots.ReadAllAsync()) Probe.Tell(snapshot);
        });
    }

    public TestProbe<EgressSnapshot> Probe { get; } = new();

    public Task Pump { get; }

    /// <summary>Rules as <c>policy:port/protocol</c>, the shape assertions compare.</summary>
    public static string Describe(EgressSnapshot snapshot) =>
        string.Join(",", snapshot.Rules.Select(r => $"{r.Ref.Policy.Name}:{r.Ref.Port}/{r.Ref.ProtocolName}"));

    public Task<EgressSnapshot> ExpectAsync(string rules, TimeSpan? within = null) =>
        Probe.ExpectMessageAsync(s => Describe(s) == rules, within, $"a snapshot with rules [{rules}]");

    public Task ExpectNothingAsync(TimeSpan? within = null) => Probe.ExpectNoMessageAsync(within ?? TimeSpan.FromMilliseconds(400));

    public void Dispose() => _subscription.Dispose();
}
