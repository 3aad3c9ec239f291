using System.CommandLine;
using System.CommandLine.Invocation;
using Mesh.Cli.Configuration;
using Mesh.Cli.Explain;

namespace Mesh.Cli.Commands;

/// <summary>
/// <c>mesh egress explain</c>: why a connection from an identity is allowed or not, by the manifests in a directory.
/// It reads the same configuration as <c>mesh run</c> (<c>--config</c>, <c>mesh.control.manifests</c> and
/// <c>mesh.control.mesh-config</c>, flags over both), so an OSM install's MeshConfig name is honoured. A thin shell over
/// <see cref="EgressExplainRunner"/>, which does the checking, explaining and printing.
/// </summary>
internal static class EgressExplainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "HOCON file layered over reference.conf, as for mesh run" };
        var manifests = new Option<string?>("--manifests") { Description = "Directory of manifests (mesh.control.manifests)" };
        var meshConfig = new Option<string?>("--mesh-config") { Description = "NAMESPACE/NAME of the MeshConfig that counts (mesh.control.mesh-config)" };
        var from = new Option<string>("--from") { Description = "Source identity NAMESPACE/SERVICEACCOUNT", Required = true };
        var to = new Option<string>("--to") { Description = "Destination HOST:PORT (an IP address or a host name)", Required = true };
        var ip = new Option<string>("--ip") { Description = "Destination address when --to names a host (for rules limited to address ranges)" };
        var sni = new Option<string>("--sni") { Description = "Explain a TLS connection with this server name" };
        var http = new Option<string[]>("--http")
        {
            Description = "Explain an HTTP/1 request: METHOD PATH",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var headers = new Option<string[]>("-H", "--header") { Description = "Request header NAME:VALUE (with --http; repeatable)" };
        var command = new Command("explain", "Explain the egress decision for a connection or request")
        {
            config, manifests, meshConfig, from, to, ip, sni, http, headers,
        };
        command.Action = new ExplainAction(parse => Read(parse, config, manifests, meshConfig), parse => new EgressExplainArguments(
            "",
            default,
            parse.GetValue(from) ?? "",
            parse.GetValue(to) ?? "",
            parse.GetValue(ip),
            parse.GetValue(sni),
            parse.GetValue(http),
            parse.GetValue(headers)));
        return command;
    }

    /// <summary>
    /// Runs even when parsing failed, so usage errors exit with 2 (the documented code) instead of the parser's 1:
    /// scripts tell "denied" (1) from "you called it wrong" (2).
    /// </summary>
    /// <summary>The manifest directory and MeshConfig from the layered configuration.</summary>
    private static Mesh.Control.ControlPlaneOptions Read(ParseResult parse, Option<string?> config, Option<string?> manifests, Option<string?> meshConfig) =>
        MeshSettings.ReadControl(MeshConfiguration.Build(parse.GetValue(config), new Dictionary<string, string?>
        {
            ["mesh:control:manifests"] = parse.GetValue(manifests),
            ["mesh:control:mesh-config"] = parse.GetValue(meshConfig),
        }).Settings);

    private sealed class ExplainAction(Func<ParseResult, Mesh.Control.ControlPlaneOptions> control, Func<ParseResult, EgressExplainArguments> read)
        : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.Errors.Count > 0)
            {
                foreach (var parseError in parseResult.Errors) Console.Error.WriteLine($"mesh egress explain: {parseError.Message}");
                return EgressExplainRunner.UsageError;
            }
            Mesh.Control.ControlPlaneOptions settings;
            try
            {
                settings = control(parseResult);
            }
            catch (Exception e) when (e is SettingsException or Mesh.Hocon.HoconException)
            {
                Console.Error.WriteLine($"mesh egress explain: {e.Message}");
                return EgressExplainRunner.UsageError;
            }
            var arguments = read(parseResult) with { Manifests = settings.ManifestDirectory, MeshConfigKey = settings.MeshConfigKey };
            return EgressExplainRunner.Run(arguments, Console.Out, Console.Error);
        }
    }
}
