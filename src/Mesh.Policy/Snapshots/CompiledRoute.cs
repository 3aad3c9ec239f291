using System.Text.RegularExpressions;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// One HTTPRouteGroup match, ready for the request path: full-match regexes compiled at load time, methods as a
/// small array (empty or containing <c>*</c> means any method).
/// </summary>
public sealed class CompiledRoute
{
    private readonly Regex? _path;
    private readonly string[] _methods;
    private readonly KeyValuePair<string, Regex>[] _headers;
    private readonly bool _anyMethod;

    internal CompiledRoute(string group, string name, string? pathRegex, Regex? path, IReadOnlyList<string> methods,
        IReadOnlyList<KeyValuePair<string, Regex>> headers, IReadOnlyList<KeyValuePair<string, string>> headerPatterns)
    {
        Group = group;
        Name = name;
        PathRegex = pathRegex;
        _path = path;
        _methods = [.. methods];
        _anyMethod = _methods.Length == 0 || _methods.Contains("*");
        _headers = [.. headers];
        HeaderPatterns = headerPatterns;
    }

    /// <summary>
    /// A route from its text, as a snapshot received over the wire carries it: the regexes are compiled (and anchored)
    /// exactly as when the HTTPRouteGroup was loaded.
    /// </summary>
    /// <exception cref="ArgumentException">A pattern is not a supported regular expression.</exception>
    public static CompiledRoute Create(string group, string name, string? pathRegex, IReadOnlyList<string> methods,
        IReadOnlyList<KeyValuePair<string, string>> headerPatterns)
    {
        ArgumentNullException.ThrowIfNull(headerPatterns);
        var headers = headerPatterns.Select(h => KeyValuePair.Create(h.Key, Loading.HttpRouteGroupReader.CompileFullMatch(h.Value))).ToList();
        return new CompiledRoute(group, name, pathRegex, pathRegex is null ? null : Loading.HttpRouteGroupReader.CompileFullMatch(pathRegex),
            methods, headers, headerPatterns);
    }

    /// <summary>The HTTPRouteGroup this match came from.</summary>
    public string Group { get; }

    public string Name { get; }

    public string? PathRegex { get; }

    public IReadOnlyList<string> Methods => _methods;

    public IReadOnlyList<KeyValuePair<string, string>> HeaderPatterns { get; }

    public bool Matches<THeaders>(ReadOnlySpan<char> method, ReadOnlySpan<char> path, ref THeaders headers)
        where THeaders : IRequestHeaders, allows ref struct
    {
        if (!MethodMatches(method)) return false;
        try
        {
            if (_path is not null && !_path.IsMatch(path)) return false;
            foreach (var (name, regex) in _headers)
            {
                if (!headers.TryGetValue(name, out var value) || !regex.IsMatch(value)) return false;
            }
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false; // a pathological pattern or input: no match, never an allow
        }
    }

    internal bool MethodMatches(ReadOnlySpan<char> method)
    {
        if (_anyMethod) return true;
        foreach (var m in _methods)
        {
            if (method.SequenceEqual(m)) return true;
        }
        return false;
    }

}
