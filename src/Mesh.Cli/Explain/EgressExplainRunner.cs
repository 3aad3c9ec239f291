using Mesh.Control.Manifests;
using Mesh.Policy.Explain;
using Mesh.Policy.Model;

namespace Mesh.Cli.Explain;

/// <summary>
/// <c>mesh egress explain</c> without the command line: loads the directory once, explains, prints. Exit codes: 0 allowed,
/// 1 denied, refused or 404, 2 usage or input errors. Apart from its command so it is tested in-process.
/// </summary>
public static class EgressExplainRunner
{
    public const int Allowed = 0;
    public const int NotAllowed = 1;
    public const int UsageError = 2;

    public static int Run(EgressExplainArguments arguments, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryBuildQuery(arguments, out var query, out var problem))
        {
            error.WriteLine($"mesh egress explain: {problem}");
            return UsageError;
        }
        ManifestDirectoryLoad load;
        try
        {
            load = ManifestDirectoryLoader.Load(arguments.Manifests, arguments.MeshConfigKey);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mesh egress explain: {e.Message}");
            return UsageError;
        }
        var explanation = DecisionExplainer.Explain(load.State, query!);
        ExplanationPrinter.Print(explanation, load.Validation, arguments.Manifests, output);
        return explanation.IsAllowed ? Allowed : NotAllowed;
    }

    private static bool TryBuildQuery(EgressExplainArguments arguments, out ExplainQuery? query, out string? problem)
    {
        query = null;
        ServiceAccountIdentity from;
        try
        {
            from = ServiceAccountIdentity.Parse(arguments.From ?? "");
        }
        catch (FormatException e)
        {
            problem = $"--from: {e.Message}";
            return false;
        }
        if (!ExplainDestination.TryParse(arguments.To ?? "", arguments.Ip, out var destination, out problem))
        {
            problem = $"--to: {problem}";
            return false;
        }
        var http = arguments.Http ?? [];
        if (arguments.Sni is not null && http.Count > 0)
        {
            problem = "--sni and --http exclude each other (a connection is either TLS or HTTP)";
            return false;
        }
        if (http.Count is not (0 or 2))
        {
            problem = "--http takes METHOD PATH";
            return false;
        }
        if (http.Count == 0 && arguments.Headers is { Count: > 0 })
        {
            problem = "-H only applies with --http";
            return false;
        }
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in arguments.Headers ?? [])
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                problem = $"-H '{header}' must be NAME:VALUE";
                return false;
            }
            headers.Add(KeyValuePair.Create(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }
        query = http.Count == 2
            ? new ExplainQuery(from, destination!, ExplainTraffic.Http, Method: http[0], Path: http[1], Headers: headers)
            : new ExplainQuery(from, destination!, arguments.Sni is null ? ExplainTraffic.Opaque : ExplainTraffic.Tls, Sni: arguments.Sni);
        return true;
    }
}
