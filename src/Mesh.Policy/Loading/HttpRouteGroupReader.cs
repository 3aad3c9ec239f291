using System.Text.RegularExpressions;
using Mesh.Policy.Model;

namespace Mesh.Policy.Loading;

/// <summary>Reads an SMI HTTPRouteGroup and compiles its regexes, reporting any that the engine cannot take.</summary>
internal static class HttpRouteGroupReader
{
    /// <summary>
    /// Compiled: matching a request allocates nothing (the non-backtracking engine allocated per match, measured in
    /// PolicyDecisionBenchmarks). Patterns come from manifests, so every match is bounded by <see cref="MatchTimeout"/>;
    /// a match that runs out of time counts as no match (fail closed).
    /// </summary>
    internal const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    public static HttpRouteGroup Read(ResourceKey key, SourceLocation source, YamlObject spec)
    {
        var matches = new List<HttpRouteMatch>();
        foreach (var (node, path) in spec.Sequence("matches", required: true))
        {
            var item = spec.AsObject(node, path);
            var name = item.String("name") ?? "";
            var pathRegex = item.String("pathRegex");
            var compiledPath = pathRegex is null ? null : Compile(pathRegex, item, item.Child("pathRegex"));

            var methods = new List<string>();
            foreach (var (m, mPath) in item.Sequence("methods"))
            {
                var method = item.AsString(m, mPath);
                if (method is null) continue;
                if (method != "*" && !method.All(c => char.IsAsciiLetter(c) || c == '-' || c == '_'))
                {
                    item.Error(mPath, $"'{method}' is not an HTTP method or *", m);
                }
                methods.Add(method.ToUpperInvariant());
            }

            var headers = item.StringMap("headers");
            var compiledHeaders = new List<KeyValuePair<string, Regex>>();
            foreach (var (header, regex) in headers)
            {
                var compiled = Compile(regex, item, $"{item.Child("headers")}.{header}");
                if (compiled is not null) compiledHeaders.Add(new(header, compiled));
            }

            matches.Add(new HttpRouteMatch(name, pathRegex, methods, headers)
            {
                CompiledPath = compiledPath,
                CompiledHeaders = compiledHeaders,
            });
        }
        return new HttpRouteGroup(key, source, matches);
    }

    private static Regex? Compile(string pattern, YamlObject at, string path)
    {
        try
        {
            return CompileFullMatch(pattern);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            at.Error(path, $"'{pattern}' is not a supported regular expression: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Anchored so the pattern must match the whole value, as Envoy's safe_regex does. Compiled once per pattern and
    /// process: a snapshot repeats a route group's patterns in every rule that references it, and each new snapshot
    /// (and each one a proxy receives over the wire) repeats the last one's; compiling a regex costs about a
    /// millisecond, so a 60-rule snapshot took 33 ms to read before this cache.
    /// </summary>
    /// <exception cref="ArgumentException">Not a supported regular expression.</exception>
    internal static Regex CompileFullMatch(string pattern)
    {
        if (Compiled.TryGetValue(pattern, out var regex)) return regex;
        // Validate the pattern alone first: wrapping can make an unbalanced one like "a)(b" parse.
        _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        regex = new Regex($@"\A(?:{pattern})\z", Options, MatchTimeout);
        if (Compiled.Count >= MaxCompiled) Compiled.Clear(); // patterns nobody uses any more go; the next use compiles again
        return Compiled.GetOrAdd(pattern, regex);
    }

    /// <summary>Far more distinct route patterns than a mesh has; a bound only so the cache cannot grow without one.</summary>
    private const int MaxCompiled = 4096;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);
}
