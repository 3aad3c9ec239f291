using System.Net;
using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;
using Mesh.Protocols.Sniffing;

namespace Mesh.Policy.Tests;

/// <summary>Builds cluster states from manifest text (<see cref="ManifestText"/>) and asks decisions of the resulting snapshot.</summary>
internal sealed class PolicyWorld
{
    public static readonly ServiceAccountIdentity Curl = new("curl", "curl");

    public ClusterState State { get; private set; } = ClusterState.Empty;

    public static PolicyWorld From(params string[] manifests)
    {
        var world = new PolicyWorld();
        foreach (var m in manifests) world.Apply(m);
        return world;
    }

    public PolicyWorld Apply(string manifest)
    {
        State = ManifestState.Apply(State, manifest);
        return this;
    }

    public PolicyWorld Delete(ResourceKind kind, string ns, string name)
    {
        State = State.Remove(new ResourceKey(kind, ns, name));
        return this;
    }

    public EgressSnapshot Snapshot(ServiceAccountIdentity? identity = null) => SnapshotCompiler.Compile(State, identity ?? Curl);

    public static NetAddress Ip(string text) => NetAddress.FromIPAddress(IPAddress.Parse(text));

    /// <summary>The whole connection path as the proxy runs it: on accept, then after sniffing if asked to.</summary>
    public ConnectionDecision Connect(string ip, int port, SniffedProtocol protocol, string sni = "", ServiceAccountIdentity? identity = null)
    {
        var snapshot = Snapshot(identity);
        var first = snapshot.DecideOnAccept(Ip(ip), port);
        return first.Verdict == ConnectionVerdict.Sniff ? snapshot.DecideSniffed(Ip(ip), port, protocol, sni) : first;
    }

    public RequestDecision Request(string ip, int port, string host, string method, string path, params (string Name, string Value)[] headers)
    {
        var h = new TestHeaders(headers);
        return Snapshot().DecideRequest(Ip(ip), port, host, method, path, ref h);
    }

}

internal readonly struct TestHeaders((string Name, string Value)[] headers) : IRequestHeaders
{
    public bool TryGetValue(string name, out ReadOnlySpan<char> value)
    {
        var values = headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        value = values.Count == 0 ? default : string.Join(',', values);
        return values.Count > 0;
    }
}
