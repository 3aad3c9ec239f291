using System.CommandLine;
using System.CommandLine.Invocation;
using Mesh.Cli.Configuration;
using Mesh.Cli.Explain;

namespace Mesh.Cli.Commands;

/// <summary>
/// <c>mesh egress explain</c>: why a connection from an identity is allowed or not, by the manifests in a directory or,
/// with <c>--kubernetes</c>, by the live objects of the API server (one list of every kind, validated as the controller
/// validates them). It reads the same configuration as <c>mesh run</c> (<c>--config</c>, <c>mesh.control.manifests</c>,
/// <c>mesh.control.mesh-config</c>, <c>mesh.control.kubernetes</c>, flags over all), so an OSM install's MeshConfig name
/// is honoured. A thin shell over <see cref="EgressExplainRunner"/>, which does the reading, explaining and printing.
/// </summary>
internal static class EgressExplainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "HOCON file layered over reference.conf, as for mesh run" };
        var manifests = new Option<string?>("--manifests") { Description = "Directory of manifests (mesh.control.manifests)" };
        var kubernetes = new Option<bool>("--kubernetes") { Description = "Read the objects from the Kubernetes API instead of a directory" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file, with --kubernetes (mesh.control.kubernetes.kubeconfig)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context, with --kubernetes (mesh.control.kubernetes.context)" };
        var meshName = new Option<string?>("--mesh-name") { Description = "Namespaces labelled openservicemesh.io/monitored-by=NAME count, with --kubernetes (mesh.control.kubernetes.mesh-name)" };
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
            config, manifests, kubernetes, kubeconfig, context, meshName, meshConfig, from, to, ip, sni, http, headers,
        };
        command.Action = new ExplainAction(parse =>
        {
            var overrides = new Dictionary<string, string?>
            {
                ["mesh:control:manifests"] = parse.GetValue(manifests),
                ["mesh:control:mesh-config"] = parse.GetValue(meshConfig),
                ["mesh:control:kubernetes:kubeconfig"] = parse.GetValue(kubeconfig),
                ["mesh:control:kubernetes:context"] = parse.GetValue(context),
                ["mesh:control:kubernetes:mesh-name"] = parse.GetValue(meshName),
            };
            var settings = MeshConfiguration.Build(parse.GetValue(config), overrides).Settings;
            var arguments = new EgressExplainArguments("", default, parse.GetValue(from) ?? "", parse.GetValue(to) ?? "", parse.GetValue(ip), parse.GetValue(sni),
                parse.GetValue(http), parse.GetValue(headers));
            if (!parse.GetValue(kubernetes))
            {
                if (parse.GetValue(kubeconfig) is not null || parse.GetValue(context) is not null || parse.GetValue(meshName) is not null)
                {
                    throw new SettingsException("--kubeconfig, --context and --mesh-name", "apply only with --kubernetes");
                }
                var control = MeshSettings.ReadControl(settings);
                return arguments with { Manifests = control.ManifestDirectory, MeshConfigKey = control.MeshConfigKey };
            }
            if (parse.GetValue(manifests) is not null) throw new SettingsException("--manifests", "reads a directory; --kubernetes reads the API server: give one");
            return arguments with { MeshConfigKey = KubernetesSettings.MeshConfigKey(settings), Kubernetes = KubernetesSettings.Read(settings) };
        });
        return command;
    }

    /// <summary>
    /// Runs even when parsing failed, so usage errors exit with 2 (the documented code) instead of the parser's 1:
    /// scripts tell "denied" (1) from "you called it wrong" (2).
    /// </summary>
    private sealed class ExplainAction(Func<ParseResult, EgressExplainArguments> read) : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            if (parseResult.Errors.Count > 0)
            {
                foreach (var parseError in parseResult.Errors) await Console.Error.WriteLineAsync($"mesh egress explain: {parseError.Message}");
                return EgressExplainRunner.UsageError;
            }
            EgressExplainArguments arguments;
            try
            {
                arguments = read(parseResult);
            }
            catch (Exception e) when (e is SettingsException or Mesh.Hocon.HoconException)
            {
                await Console.Error.WriteLineAsync($"mesh egress explain: {e.Message}");
                return EgressExplainRunner.UsageError;
            }
            return await EgressExplainRunner.RunAsync(arguments, Console.Out, Console.Error, cancellationToken);
        }
    }
}
