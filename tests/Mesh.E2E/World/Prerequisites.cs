namespace Mesh.E2E.World;

/// <summary>
/// The world needs root and a few tools. Missing any of them fails every test with this message: a skipped
/// end-to-end suite would read as a passing one.
/// </summary>
public static class Prerequisites
{
    private static readonly string[] Tools = ["ip", "iptables", "ip6tables", "curl", "setpriv", "prlimit", "bash", "dotnet"];

    public static void Require()
    {
        var problems = new List<string>();
        if (!Environment.IsPrivilegedProcess)
        {
            problems.Add("not running as root (network namespaces and iptables rules need it)");
        }

        problems.AddRange(Tools.Where(tool => Which(tool) is null).Select(tool => $"`{tool}` is not on PATH"));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The end-to-end world cannot be built: " + string.Join("; ", problems)
                + ". Run as root; scripts/test.sh installs iptables (with ip6tables), curl and iproute2 from Debian.");
        }
    }

    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, tool))
        .FirstOrDefault(File.Exists);
}
