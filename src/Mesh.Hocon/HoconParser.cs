namespace Mesh.Hocon;

/// <summary>
/// Entry points: parse HOCON (or JSON / .properties, chosen by file extension) and resolve all
/// substitutions. Every problem in the input is reported as a <see cref="HoconException"/> with the
/// file, line and column.
/// </summary>
public static class HoconParser
{
    /// <summary>Parses and resolves HOCON text.</summary>
    /// <param name="text">The document.</param>
    /// <param name="originName">Name used in errors and origins (for example a file name); optional.</param>
    /// <param name="resolveOptions">Environment fallback; default: on, using the process environment.</param>
    /// <param name="parseOptions">Where includes are looked for.</param>
    public static HoconObject ParseString(
        string text,
        string? originName = null,
        HoconResolveOptions? resolveOptions = null,
        HoconParseOptions? parseOptions = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var raw = ParseUnresolved(text, originName, parseOptions ?? HoconParseOptions.Default);
        return Resolver.Resolve(raw, resolveOptions ?? HoconResolveOptions.Default);
    }

    /// <summary>Parses and resolves a file: .json as strict JSON, .properties as Java properties, anything else as HOCON.</summary>
    public static HoconObject ParseFile(string path, HoconResolveOptions? resolveOptions = null, HoconParseOptions? parseOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new HoconException("the configuration file does not exist", new HoconOrigin(Path.GetFullPath(path), 0, 0));
        }

        var raw = DocumentLoader.LoadFile(path, parseOptions ?? HoconParseOptions.Default, 0, IncludeScope.Root);
        return Resolver.Resolve(raw, resolveOptions ?? HoconResolveOptions.Default);
    }

    /// <summary>
    /// Parses and resolves several files as one configuration, later files overriding earlier ones
    /// (for example a reference file followed by an application file). Missing files are skipped
    /// when <paramref name="skipMissing"/> is true.
    /// </summary>
    public static HoconObject ParseFiles(
        IEnumerable<string> paths,
        bool skipMissing = false,
        HoconResolveOptions? resolveOptions = null,
        HoconParseOptions? parseOptions = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var merged = new RawObject(new HoconOrigin(null, 0, 0));
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                if (skipMissing)
                {
                    continue;
                }

                throw new HoconException("the configuration file does not exist", new HoconOrigin(Path.GetFullPath(path), 0, 0));
            }

            RawMerge.MergeObject(merged, DocumentLoader.LoadFile(path, parseOptions ?? HoconParseOptions.Default, 0, IncludeScope.Root));
        }

        return Resolver.Resolve(merged, resolveOptions ?? HoconResolveOptions.Default);
    }

    internal static RawObject ParseUnresolved(string text, string? originName, HoconParseOptions options)
    {
        var includes = new IncludeLoader(options, null, 0);
        return DocumentParser.Parse(text, originName, includes, IncludeScope.Root);
    }
}
