using System.Globalization;
using Mesh.Control.Aggregation;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// The position of each reflector of a watcher, as snapshot orders need it: a number per watched resource
/// (<c>kubernetes/egresses.policy.openservicemesh.io</c>, ...) that only grows.
/// </summary>
/// <remarks>
/// <para>etcd's revision, which every etcd-backed API server hands out as resourceVersion, is a decimal integer (an
/// int64) that grows with every write: the position is the highest one a reflector has reported (its lists and its
/// events), the same on every replica that has read as far. One position per resource, not per watcher: a watcher
/// of two API groups may have read one further than the other, and a single maximum would claim more than it has.</para>
/// <para>A resourceVersion that is not such an integer (a server on another storage; opaque by the API's contract)
/// cannot be ordered across replicas. Then the position moves to the clock (milliseconds since the epoch), and in
/// any case one past where it was, like a directory's modification times: each replica's snapshots still supersede
/// its own earlier ones, so proxies take every change, but replicas are ordered by when they computed rather than
/// by what they read. The caller logs this once.</para>
/// </remarks>
internal sealed class ReflectorPositions
{
    private readonly Dictionary<WatchedResource, ulong> _positions = [];
    private readonly TimeProvider _time;

    public ReflectorPositions(IEnumerable<WatchedResource> resources, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        foreach (var r in resources) _positions[r] = 0;
    }

    public static string SourceOf(WatchedResource resource) => $"kubernetes/{resource.Name}";

    public IReadOnlyList<SourcePosition> All =>
        [.. _positions.Where(p => p.Value > 0).Select(p => new SourcePosition(SourceOf(p.Key), p.Value)).OrderBy(p => p.Source, StringComparer.Ordinal)];

    public ulong Of(WatchedResource resource) => _positions[resource];

    /// <summary>Moves a resource's position to a resourceVersion it reported; false when that was not an integer.</summary>
    public bool Advance(WatchedResource resource, string resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion)) return true; // an absent resource (CRD not installed): nothing read
        var current = _positions[resource];
        if (ResourceVersionOrder.IsNumeric(resourceVersion) &&
            ulong.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            if (revision > current) _positions[resource] = revision;
            return true;
        }
        var now = (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _positions[resource] = Math.Max(now, current + 1);
        return false;
    }
}
