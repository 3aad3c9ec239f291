namespace Mesh.Kubernetes.Objects;

/// <summary>
/// How Mesh orders resourceVersions, so snapshots can be ordered by the highest resourceVersion of their inputs.
/// </summary>
/// <remarks>
/// The API's contract says resourceVersions are opaque strings that clients may only compare for equality. In
/// practice every etcd-backed API server (kube-apiserver, k3s with etcd, and the fake in the tests) uses etcd's
/// revision: one global counter, written as a decimal integer without leading zeros, that grows with every write
/// in the cluster. Mesh relies on that and orders versions by length, then ordinally. For such integers this is
/// exactly numeric order (a longer numeral is a larger number; equal lengths compare digit by digit), with no
/// parsing and no overflow. For anything else (a server on another storage) it is still a total, deterministic
/// order, the same on every replica, which is what ordering snapshots needs: replicas must agree, and none can
/// learn more about which write came first than the versions say. The empty string (no version) sorts first.
/// </remarks>
public sealed class ResourceVersionOrder : IComparer<string?>
{
    public static ResourceVersionOrder Instance { get; } = new();

    private ResourceVersionOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        x ??= "";
        y ??= "";
        var c = x.Length.CompareTo(y.Length);
        return c != 0 ? c : string.CompareOrdinal(x, y);
    }

    /// <summary>The highest of some versions by this order, or "" for none.</summary>
    public static string Max(IEnumerable<string?> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var max = "";
        foreach (var v in versions)
        {
            if (Instance.Compare(v, max) > 0) max = v!;
        }
        return max;
    }

    /// <summary>Whether a version looks like an etcd revision (a decimal integer without leading zeros).</summary>
    public static bool IsNumeric(string? version) =>
        version is { Length: > 0 } v && v.All(char.IsAsciiDigit) && (v.Length == 1 || v[0] != '0');
}
