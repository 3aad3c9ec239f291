using System.CommandLine;

namespace Mesh.Cli.Commands;

/// <summary>The flags shared by <c>mesh run</c> and <c>mesh config show</c>; each maps onto a configuration key.</summary>
internal sealed class CommonOptions
{
    private readonly Option<string?> _config = new("--config") { Description = "HOCON file layered over reference.conf" };
    private readonly Option<string?> _manifests = new("--manifests") { Description = "Directory of manifests to watch (mesh.control.manifests)" };
    private readonly Option<string?> _identity = new("--identity") { Description = "NAMESPACE/SERVICEACCOUNT this proxy serves (mesh.identity)" };
    private readonly Option<string?> _meshConfig = new("--mesh-config") { Description = "NAMESPACE/NAME of the MeshConfig that counts (mesh.control.mesh-config)" };
    private readonly Option<int?> _outboundPort = new("--outbound-port") { Description = "Transparent outbound port (mesh.proxy.outbound-port)" };
    private readonly Option<string?> _admin = new("--admin") { Description = "Admin listener ADDRESS:PORT (mesh.proxy.admin-address)" };

    public CommonOptions(Command command)
    {
        foreach (var option in new Option[] { _config, _manifests, _identity, _meshConfig, _outboundPort, _admin }) command.Options.Add(option);
    }

    public FlagValues Read(ParseResult parse) => new(parse.GetValue(_config), new Dictionary<string, string?>
    {
        ["mesh:control:manifests"] = parse.GetValue(_manifests),
        ["mesh:identity"] = parse.GetValue(_identity),
        ["mesh:control:mesh-config"] = parse.GetValue(_meshConfig),
        ["mesh:proxy:outbound-port"] = parse.GetValue(_outboundPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["mesh:proxy:admin-address"] = parse.GetValue(_admin),
    });
}

/// <summary>The parsed flags: an optional config file and the keys the flags override.</summary>
internal sealed record FlagValues(string? ConfigFile, IReadOnlyDictionary<string, string?> Overrides);
