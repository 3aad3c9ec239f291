using System.Collections.Concurrent;
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

    /// <summary>Past this many distinct patterns the cache starts over (patterns come from manifests, which change).</summary>
    private const int CacheCapacity = 4096;

    /// <summary>
    /// Full-match regexes by pattern. Compiling one emits and JITs code (0.1-1 ms here), and a proxy rebuilds every route
    /// of each snapshot it receives (<c>CompiledRoute.Create</c>): without sharing, a 100-policy snapshot with routes took
    /// 15 ms to decode, on every proxy and once per controller, which put 100 in-process proxies' p50 from a change to the
    /// snapshot applied at 470 ms (bench/cluster, docs/benchmarks.md). A <see cref="Regex"/> is immutable and may be
    /// matched from any thread, so routes of successive snapshots share one.
    /// </summary>
    private static readonly ConcurrentDictionary<string, Regex> FullMatches = new(StringComparer.Ordinal);

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

    /// <summary>Anchored so the pattern must match the whole value, as Envoy's safe_regex does.</summary>
    /// <exception cref="ArgumentException">Not a supported regular expression.</exception>
    internal static Regex CompileFullMatch(string pattern)
    {
        if (FullMatches.TryGetValue(pattern, out var known)) return known;
        // Validate the pattern alone first: wrapping can make an unbalanced one like "a)(b" parse.
        _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        var compiled = new Regex($@"\A(?:{pattern})\z", Options, MatchTimeout);
        if (FullMatches.Count >= CacheCapacity) FullMatches.Clear();
        return FullMatches.GetOrAdd(pattern, compiled);
    }
}
