using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Mesh.Cli.Configuration;
using Mesh.Cluster.Protocol;
using Mesh.Cluster.Serialization;
using Mesh.Policy.Decisions;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;
using Mesh.Protocols.Sniffing;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Cluster.Tests;

/// <summary>Mesh's wire format, through Akka's serialization as configured by reference.conf.</summary>
public sealed class WireFormatTests : IAsyncLifetime
{
    private static readonly ServiceAccountIdentity Curl = new("curl", "curl");
    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        var akka = MeshConfiguration.Build(null, new Dictionary<string, string?>()).AkkaHocon;
        _system = ActorSystem.Create("mesh", ConfigurationFactory.ParseString("akka.actor.provider = remote\nakka.remote.dot-netty.tcp.port = 0\n" + akka));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    private static EgressSnapshot Snapshot(params string[] manifests)
    {
        var state = ClusterState.Empty;
        foreach (var resource in manifests.SelectMany(m => ManifestLoader.LoadText(m, "t.yaml").Resources)) state = state.Upsert(resource);
        return SnapshotCompiler.Compile(state, Curl);
    }

    private static EgressSnapshot Rich() => Snapshot(
        MeshConfig(enableEgress: true),
        RouteGroup("routes", ("get", "/get.*", ["GET", "HEAD"], [("x-team", "a|b")]), ("any", "/.*", null, null)),
        RouteGroup("other", ("post", "/post", ["POST"], null)),
        Egress("web", "curl/curl", 80, "http", hosts: ["httpbin.org", "*.example.com"], routeGroups: ["routes", "other", "gone"]),
        Egress("tls", "curl/curl", 443, "https", hosts: ["api.example.test"], ipAddresses: ["10.0.0.0/8", "2001:db8::/32"]),
        Egress("db", "curl/curl", 5432, "tcp-server-first", ipAddresses: ["192.0.2.10"]),
        Egress("any", "curl/curl", 8443, "tcp"));

    private object RoundTrip(object message)
    {
        var serializer = _system.Serialization.FindSerializerFor(message);
        Assert.IsType<MeshWireSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return _system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }

    [Fact]
    public void A_snapshot_comes_back_with_the_same_version_and_the_same_decisions()
    {
        var sent = Rich();
        var order = SnapshotOrder.None.With("egresses", 41).With("routes", 7);

        var received = Assert.IsType<SnapshotPublished>(RoundTrip(new SnapshotPublished(sent, order, 3, "server-1")));

        Assert.Equal(sent.Version, received.Snapshot.Version);
        Assert.Equal(sent.Json, received.Snapshot.Json);
        Assert.Equal((order, 3L, "server-1"), (received.Order, received.Sequence, received.Server));
        var address = NetAddress.FromIPAddress(System.Net.IPAddress.Parse("10.1.2.3"));
        foreach (var port in new[] { 80, 443, 5432, 8443, 9999 })
        {
            Assert.Equal(sent.DecideOnAccept(address, port), received.Snapshot.DecideOnAccept(address, port));
            Assert.Equal(sent.DecideSniffed(address, port, SniffedProtocol.Tls, "api.example.test"),
                received.Snapshot.DecideSniffed(address, port, SniffedProtocol.Tls, "api.example.test"));
        }
    }

    [Fact]
    public void Every_protocol_message_round_trips_with_its_actor_reference()
    {
        var watcher = _system.ActorOf(Props.Empty, "watcher");
        Assert.Equal(new WatchSnapshots(Curl, watcher, "abc"), RoundTrip(new WatchSnapshots(Curl, watcher, "abc")));
        Assert.Equal(new WatchSnapshots(Curl, watcher, null), RoundTrip(new WatchSnapshots(Curl, watcher, null)));
        var controller = Address.Parse("akka.tcp://mesh@10.0.0.5:2552");
        Assert.Equal(new WatchSnapshots(Curl, watcher, "abc", controller), RoundTrip(new WatchSnapshots(Curl, watcher, "abc", controller)));
        Assert.Equal(new UnwatchSnapshots(Curl, watcher), RoundTrip(new UnwatchSnapshots(Curl, watcher)));
        Assert.Equal(new SnapshotCurrent(Curl, "v", 9, "s"), RoundTrip(new SnapshotCurrent(Curl, "v", 9, "s")));
        Assert.Equal(new SnapshotTooLarge(Curl, "v", 5_000_000, 4_128_768), RoundTrip(new SnapshotTooLarge(Curl, "v", 5_000_000, 4_128_768)));
    }

    [Fact]
    public void A_snapshot_that_does_not_rebuild_to_the_version_it_names_is_refused()
    {
        var bytes = SnapshotWire.Encode(Rich());
        var tampered = (byte[])bytes.Clone();
        var at = Array.IndexOf(tampered, (byte)'8'); // a digit of a port or CIDR in the rule text: changes the content
        tampered[at] = (byte)'9';

        Assert.Throws<SerializationException>(() => SnapshotWire.Decode(tampered));
        Assert.Throws<SerializationException>(() => SnapshotWire.Decode(bytes.AsSpan(0, bytes.Length / 2)));
    }

    [Fact]
    public void An_unknown_manifest_or_a_malformed_body_is_a_serialization_error_that_remoting_drops()
    {
        var serializer = new MeshWireSerializer((ExtendedActorSystem)_system);

        Assert.Throws<SerializationException>(() => serializer.FromBinary([], "zz9"));
        Assert.Throws<SerializationException>(() => serializer.FromBinary([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], "s1")); // a count of billions
        Assert.Throws<SerializationException>(() => SnapshotWire.Decode([1, 4, (byte)'c', (byte)'u', (byte)'r', (byte)'l']));
    }

    [Fact]
    public void A_snapshot_that_every_controller_sends_is_decoded_once_by_the_receiving_node()
    {
        var serializer = new MeshWireSerializer((ExtendedActorSystem)_system);
        var snapshot = Rich();
        var order = SnapshotOrder.None.With("egresses", 2);
        object Receive(object message) => serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));

        var fromFirst = Assert.IsType<SnapshotPublished>(Receive(new SnapshotPublished(snapshot, order, 5, "controller-a")));
        var fromSecond = Assert.IsType<SnapshotPublished>(Receive(new SnapshotPublished(snapshot, order, 9, "controller-b")));
        var other = Assert.IsType<SnapshotPublished>(Receive(new SnapshotPublished(Snapshot(Egress("one", "curl/curl", 443, "https", hosts: ["a.test"])), order, 6, "controller-a")));

        Assert.Same(fromFirst.Snapshot, fromSecond.Snapshot);
        Assert.Equal((9L, "controller-b"), (fromSecond.Sequence, fromSecond.Server)); // the envelope is each message's own
        Assert.NotSame(fromFirst.Snapshot, other.Snapshot);
        Assert.NotEqual(fromFirst.Snapshot.Version, other.Snapshot.Version);
    }

    [Fact]
    public void A_changed_snapshot_is_decoded_against_the_last_one_reusing_every_rule_it_did_not_change()
    {
        var decoded = new DecodedSnapshots();
        var first = decoded.Decode(InsideMessage(SnapshotWire.Encode(Rich())))!;
        var changed = Snapshot(
            MeshConfig(enableEgress: true),
            RouteGroup("routes", ("get", "/get.*", ["GET", "HEAD"], [("x-team", "a|b")]), ("any", "/.*", null, null)),
            RouteGroup("other", ("post", "/post", ["POST"], null)),
            Egress("web", "curl/curl", 80, "http", hosts: ["httpbin.org", "*.example.com"], routeGroups: ["routes", "other", "gone"]),
            Egress("tls", "curl/curl", 443, "https", hosts: ["api.example.test", "new.example.test"], ipAddresses: ["10.0.0.0/8", "2001:db8::/32"]),
            Egress("db", "curl/curl", 5432, "tcp-server-first", ipAddresses: ["192.0.2.10"]),
            Egress("any", "curl/curl", 8443, "tcp"));

        var second = decoded.Decode(InsideMessage(SnapshotWire.Encode(changed)))!;

        Assert.Equal(changed.Version, second.Version);
        Assert.Equal(changed.Json, second.Json);
        var tls = second.Rules.Single(r => r.Ref.Policy.Name == "tls");
        Assert.DoesNotContain(tls, first.Rules);
        Assert.All(second.Rules.Where(r => r.Ref.Policy.Name != "tls"), rule => Assert.Contains(rule, first.Rules, ReferenceEqualityComparer.Instance));
        var address = NetAddress.FromIPAddress(System.Net.IPAddress.Parse("10.1.2.3"));
        foreach (var (port, sni) in new[] { (443, "new.example.test"), (443, "api.example.test"), (80, "httpbin.org"), (8443, ""), (5432, "") })
        {
            Assert.Equal(changed.DecideOnAccept(address, port), second.DecideOnAccept(address, port));
            Assert.Equal(changed.DecideSniffed(address, port, SniffedProtocol.Tls, sni), second.DecideSniffed(address, port, SniffedProtocol.Tls, sni));
        }
        // Passthrough allows it either way; the new rule is what allows it now.
        Assert.NotEqual(first.DecideSniffed(address, 443, SniffedProtocol.Tls, "new.example.test"), second.DecideSniffed(address, 443, SniffedProtocol.Tls, "new.example.test"));
    }

    /// <summary>Fifty tcp policies, one of them on <paramref name="flipPort"/>: about 10 KB whole.</summary>
    private static EgressSnapshot Many(int flipPort) => Snapshot(
        [MeshConfig(enableEgress: false), Egress("flip", "curl/curl", flipPort, "tcp", ipAddresses: ["192.0.2.0/24"]),
            .. Enumerable.Range(1, 49).Select(i => Egress($"p{i}", "curl/curl", 10_000 + i, "tcp", ipAddresses: [$"198.51.100.{i}/32"]))]);

    [Fact]
    public void A_change_pushed_against_the_snapshot_before_it_carries_only_the_rules_it_changed()
    {
        var serializer = new MeshWireSerializer((ExtendedActorSystem)_system);
        var before = Many(20_000);
        var after = Many(20_001);
        var whole = serializer.ToBinary(new SnapshotPublished(before, SnapshotOrder.None, 1, "s"));
        var change = serializer.ToBinary(new SnapshotPublished(after, SnapshotOrder.None, 2, "s", Base: before));
        var first = Assert.IsType<SnapshotPublished>(serializer.FromBinary(whole, "s1")).Snapshot;

        var second = Assert.IsType<SnapshotPublished>(serializer.FromBinary(change, "s1")).Snapshot;

        Assert.True(change.Length * 10 < whole.Length, $"{change.Length} bytes against {whole.Length} whole");
        Assert.Equal((after.Version, after.Json), (second.Version, second.Json));
        var flipped = second.Rules.Single(r => r.Ref.Policy.Name == "flip");
        Assert.Equal(20_001, flipped.Ref.Port);
        Assert.All(second.Rules.Where(r => r != flipped), rule => Assert.Contains(rule, first.Rules, ReferenceEqualityComparer.Instance));
        var address = NetAddress.FromIPAddress(System.Net.IPAddress.Parse("192.0.2.7"));
        Assert.Equal(ConnectionVerdict.Sniff, second.DecideOnAccept(address, 20_001).Verdict);
        Assert.Equal(after.DecideSniffed(address, 20_001, SniffedProtocol.Opaque, ""), second.DecideSniffed(address, 20_001, SniffedProtocol.Opaque, ""));
        Assert.Equal(after.DecideSniffed(address, 20_000, SniffedProtocol.Opaque, ""), second.DecideSniffed(address, 20_000, SniffedProtocol.Opaque, ""));
    }

    [Fact]
    public void A_change_against_a_snapshot_the_node_does_not_hold_is_not_applied_but_named_for_a_resync()
    {
        var serializer = new MeshWireSerializer((ExtendedActorSystem)_system);
        var order = SnapshotOrder.None.With("manifests", 7);
        var change = serializer.ToBinary(new SnapshotPublished(Many(20_002), order, 5, "s", Base: Many(20_001)));
        Assert.IsType<SnapshotPublished>(serializer.FromBinary(serializer.ToBinary(new SnapshotPublished(Many(20_000), order, 4, "s")), "s1"));

        var missing = Assert.IsType<SnapshotBaseMissing>(serializer.FromBinary(change, "s1"));

        Assert.Equal(new SnapshotBaseMissing(Curl, order, 5, "s"), missing);
        Assert.Throws<SerializationException>(() => SnapshotWire.Decode(change.AsSpan(change.Length - (int)SnapshotWire.EncodeAgainst(Many(20_002), Many(20_001)).Length)));
    }

    [Fact]
    public void A_tampered_change_is_refused_even_when_its_base_is_held()
    {
        var serializer = new MeshWireSerializer((ExtendedActorSystem)_system);
        var before = Many(20_000);
        serializer.FromBinary(serializer.ToBinary(new SnapshotPublished(before, SnapshotOrder.None, 1, "s")), "s1");
        var change = serializer.ToBinary(new SnapshotPublished(Many(20_001), SnapshotOrder.None, 2, "s", Base: before));
        var tampered = (byte[])change.Clone();
        tampered[Array.LastIndexOf(tampered, (byte)'4')] = (byte)'8'; // 192.0.2.0/24 -> /28 in the one rule it carries (the last)

        Assert.Throws<SerializationException>(() => serializer.FromBinary(tampered, "s1"));
        Assert.IsType<SnapshotPublished>(serializer.FromBinary(change, "s1"));
    }

    /// <summary>
    /// The snapshot's bytes as a message carries them: after the message's own fields and before bytes that are not
    /// the snapshot's, which the decoder keeps without copying, so every offset it remembers is within the segment.
    /// </summary>
    private static ArraySegment<byte> InsideMessage(byte[] snapshot)
    {
        var message = new byte[snapshot.Length + 16];
        message.AsSpan().Fill(0xFF);
        snapshot.CopyTo(message, 9);
        return new ArraySegment<byte>(message, 9, snapshot.Length);
    }

    [Fact]
    public void A_tampered_snapshot_is_refused_each_time_it_comes_even_after_its_genuine_copy()
    {
        var serializer = new MeshWireSerializer((ExtendedActorSystem)_system);
        var genuine = serializer.ToBinary(new SnapshotPublished(Rich(), SnapshotOrder.None, 1, "s"));
        var tampered = (byte[])genuine.Clone();
        tampered[Array.LastIndexOf(tampered, (byte)'8')] = (byte)'9';

        Assert.IsType<SnapshotPublished>(serializer.FromBinary(genuine, "s1"));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(tampered, "s1"));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(tampered, "s1"));
    }

    [Fact]
    public void The_encoding_of_a_snapshot_is_made_once_whatever_the_number_of_watchers()
    {
        var snapshot = Rich();
        Assert.Same(SnapshotWire.Encode(snapshot), SnapshotWire.Encode(snapshot));
    }
}
