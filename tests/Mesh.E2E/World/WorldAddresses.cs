namespace Mesh.E2E.World;

/// <summary>
/// The fixed layout of the world. Addresses come from the benchmark range 198.18.0.0/15 and exist only inside
/// the namespaces the world creates, so nothing a test sends can leave the machine.
/// </summary>
public static class WorldAddresses
{
    public const string Pod = "198.18.0.1";
    public const string HttpbinOrg = "198.18.0.2";
    public const string OpenServiceMeshIo = "198.18.0.3";
    public const string ApiExampleTest = "198.18.0.4";
    public const int PrefixLength = 24;

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
}
