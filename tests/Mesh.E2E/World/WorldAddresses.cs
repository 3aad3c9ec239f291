namespace Mesh.E2E.World;

/// <summary>
/// The fixed layout of the world. Addresses come from the benchmark range 198.18.0.0/15 and, for IPv6, the
/// unique-local fd00:198:18::/64 (the same host numbers: ::2 is httpbin.org as .2 is); they exist only inside the
/// namespaces the world creates, so nothing a test sends can leave the machine.
/// </summary>
public static class WorldAddresses
{
    public const string Pod = "198.18.0.1";
    public const string HttpbinOrg = "198.18.0.2";
    public const string OpenServiceMeshIo = "198.18.0.3";
    public const string ApiExampleTest = "198.18.0.4";
    public const int PrefixLength = 24;

    public const string Pod6 = "fd00:198:18::1";
    public const string HttpbinOrg6 = "fd00:198:18::2";
    public const string OpenServiceMeshIo6 = "fd00:198:18::3";
    public const string ApiExampleTest6 = "fd00:198:18::4";
    public const int PrefixLength6 = 64;

    /// <summary>The proxy's user: the interception rules let its own traffic out untouched.</summary>
    public const int ProxyUid = 1500;
    public const int OutboundPort = 15001;
    public const int AdminPort = 15000;

    public const int ServerFirstPort = 3306;

    /// <summary>Every name the world's hosts files resolve, with its internet-side address.</summary>
    public static IReadOnlyList<(string Name, string Address)> Hosts { get; } =
    [
        ("httpbin.org", HttpbinOrg),
        ("openservicemesh.io", OpenServiceMeshIo),
        ("api.example.test", ApiExampleTest),
    ];

    /// <summary>
    /// The same names' IPv6 addresses. Not in the hosts files: curl prefers IPv6, which would move every IPv4 test
    /// onto IPv6. IPv6 tests pick them explicitly (curl --resolve, or an address in brackets with -g).
    /// </summary>
    public static IReadOnlyList<(string Name, string Address)> Hosts6 { get; } =
    [
        ("httpbin.org", HttpbinOrg6),
        ("openservicemesh.io", OpenServiceMeshIo6),
        ("api.example.test", ApiExampleTest6),
    ];
}
