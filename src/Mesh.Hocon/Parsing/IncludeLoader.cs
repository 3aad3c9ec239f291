namespace Mesh.Hocon;

/// <summary>
/// Finds and parses the target of an <c>include</c> for one including document.
/// <list type="bullet">
/// <item><c>"name"</c>: relative to the including file's directory (absolute paths as they are); if
/// nothing is there, the <see cref="HoconParseOptions.ResourceRoots"/> (a leading '/' is dropped).</item>
/// <item><c>file("name")</c>: relative to the working directory, as the spec says.</item>
/// <item><c>classpath("name")</c>: the resource roots; without any, the including file's directory.</item>
/// <item><c>url(…)</c>: not supported, reported as an error.</item>
/// </list>
/// A name without a known extension loads name.properties, name.json and name.conf, merged with
/// .conf winning. A missing include is ignored unless it is <c>required(…)</c>.
/// </summary>
internal sealed class IncludeLoader(HoconParseOptions options, string? directory, int depth)
{
    /// <summary>The reference implementation's limit; deeper nesting is almost surely an include cycle.</summary>
    public const int MaxDepth = 50;

    private static readonly string[] Extensions = [".properties", ".json", ".conf"];

    public RawObject? Load(IncludeDirective directive, IncludeScope scope)
    {
        if (directive.Kind == IncludeKind.Url)
        {
            throw new HoconException(
                $"url() includes are not supported ({directive}); download the file and include it with file(\"…\")",
                directive.Origin);
        }

        if (depth + 1 > MaxDepth)
        {
            throw new HoconException(
                $"include statements are nested more than {MaxDepth} times; is there an include cycle? (at {directive})",
                directive.Origin);
        }

        var candidates = CandidateBases(directive).ToList();
        foreach (var basePath in candidates)
        {
            var found = LoadAnySyntax(basePath, scope);
            if (found is not null)
            {
                return found;
            }
        }

        if (directive.Required)
        {
            var looked = string.Join(", ", candidates);
            throw new HoconException($"the required include {directive} was not found (looked for: {looked})", directive.Origin);
        }

        return null;
    }

    private IEnumerable<string> CandidateBases(IncludeDirective directive)
    {
        var name = directive.Name;
        var here = directory ?? options.BaseDirectory ?? Directory.GetCurrentDirectory();
        switch (directive.Kind)
        {
            case IncludeKind.File:
                yield return Path.Combine(options.WorkingDirectory ?? Directory.GetCurrentDirectory(), name);
                break;
            case IncludeKind.Classpath:
                foreach (var root in RootsOr(here))
                {
                    yield return Path.Combine(root, name.TrimStart('/'));
                }

                break;
            default:
                yield return Path.IsPathRooted(name) ? name : Path.Combine(here, name);
                foreach (var root in options.ResourceRoots)
                {
                    yield return Path.Combine(root, name.TrimStart('/'));
                }

                break;
        }
    }

    private IReadOnlyList<string> RootsOr(string here) => options.ResourceRoots.Count > 0 ? options.ResourceRoots : [here];

    private RawObject? LoadAnySyntax(string basePath, IncludeScope scope)
    {
        var extension = Path.GetExtension(basePath);
        if (Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return File.Exists(basePath) ? LoadOne(basePath, scope) : null;
        }

        RawObject? merged = null;
        foreach (var candidate in Extensions.Select(ext => basePath + ext).Where(File.Exists))
        {
            var loaded = LoadOne(candidate, scope);
            if (merged is null)
            {
                merged = loaded;
            }
            else
            {
                RawMerge.MergeObject(merged, loaded);
            }
        }

        return merged ?? (File.Exists(basePath) ? LoadOne(basePath, scope) : null);
    }

    private RawObject LoadOne(string path, IncludeScope scope) => DocumentLoader.LoadFile(path, options, depth + 1, scope);
}
