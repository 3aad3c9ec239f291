using System.Globalization;

namespace Mesh.E2E.World;

/// <summary>
/// Per-run names: the test host's pid makes them unique, and lets a later run recognise leftovers of a crashed
/// one (its pid is gone) and sweep them.
/// </summary>
public sealed class WorldNames
{
    public const string Prefix = "mesh-e2e-";

    public WorldNames(int pid)
    {
        Pid = pid;
        var run = Prefix + pid.ToString(CultureInfo.InvariantCulture);
        PodNamespace = run + "-pod";
        InternetNamespace = run + "-net";
        Directory = Path.Combine(Path.GetTempPath(), run);
    }

    public int Pid { get; }

    public string PodNamespace { get; }

    public string InternetNamespace { get; }

    /// <summary>The run's scratch directory (CA, origin log, manifests); world-readable for the proxy's uid.</summary>
    public string Directory { get; }

    /// <summary>The pid that created a namespace or directory named by this scheme, or null for other names.</summary>
    public static int? OwnerPid(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var rest = name.AsSpan(Prefix.Length);
        var dash = rest.IndexOf('-');
        var digits = dash < 0 ? rest : rest[..dash];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
