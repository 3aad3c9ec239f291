using Mesh.Control.Manifests;
using Mesh.Control.Validation;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reading;
using Mesh.Policy.Explain;
using Mesh.Policy.Model;

namespace Mesh.Cli.Explain;

/// <summary>
/// <c>mesh egress explain</c> without the command line: loads the directory once (or lists every watched resource of the
/// API server once, through the same conversion and validation as the controller's watchers), explains, prints. Exit
/// codes: 0 allowed, 1 denied, refused or 404, 2 usage or input errors (an API server that refuses or cannot be
/// reached included). Apart from its command so it is tested in-process.
/// </summary>
public static class EgressExplainRunner
{
    public const int Allowed = 0;
    public const int NotAllowed = 1;
    public const int UsageError = 2;

    /// <summary>From the API server when <see cref="EgressExplainArguments.Kubernetes"/> is set, else from the directory.</summary>
    public static async Task<int> RunAsync(EgressExplainArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (arguments.Kubernetes is not { } kubernetes) return Run(arguments, output, error);
        if (!TryBuildQuery(arguments, out var query, out var problem))
        {
            error.WriteLine($"mesh egress explain: {problem}");
            return UsageError;
        }
        ApiState state;
        try
        {
            using var client = new k8s.Kubernetes(kubernetes.Client);
            state = await ApiStateReader.ReadAsync(client, new MeshResourceCatalog(kubernetes.MeshName, arguments.MeshConfigKey), cancellationToken);
        }
        catch (Exception e) when (e is KubernetesReadException or HttpRequestException or IOException)
        {
            error.WriteLine($"mesh egress explain: {kubernetes.Client.Host}: {e.Message}");
            return UsageError;
        }
        var explanation = DecisionExplainer.Explain(state.State, query!);
        var validation = new ValidationReport([], state.Rejections, [], [], []);
        ExplanationPrinter.Print(explanation, validation, $"the Kubernetes API at {kubernetes.Client.Host} (mesh {kubernetes.MeshName})", output);
        return explanation.IsAllowed ? Allowed : NotAllowed;
    }

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
