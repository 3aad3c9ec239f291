using System.CommandLine;
using System.CommandLine.Invocation;
using Mesh.Control.Explain;

namespace Mesh.Cli.Commands;

/// <summary>
/// <c>mesh egress explain</c>: why a connection from an identity is allowed or not, by the manifests in a directory.
/// A thin shell over <see cref="EgressExplainRunner"/>, which does the checking, explaining and printing.
/// </summary>
internal static class EgressExplainCommand
{
    public static Command Create()
    {
        var manifests = new Option<string>("--manifests") { Description = "Directory of manifests (as mesh run watches it)", Required = true };
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
            manifests, from, to, ip, sni, http, headers,
        };
        command.Action = new ExplainAction(parse => new EgressExplainArguments(
            parse.GetValue(manifests) ?? "",
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
    private sealed class ExplainAction(Func<ParseResult, EgressExplainArguments> read) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            if (parseResult.Errors.Count > 0)
            {
                foreach (var parseError in parseResult.Errors) Console.Error.WriteLine($"mesh egress explain: {parseError.Message}");
                return EgressExplainRunner.UsageError;
            }
            return EgressExplainRunner.Run(read(parseResult), Console.Out, Console.Error);
        }
    }
}
