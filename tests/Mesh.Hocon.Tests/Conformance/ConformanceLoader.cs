namespace Mesh.Hocon.Tests.Conformance;

/// <summary>
/// Emulates how the upstream suite loads its vectors (conformance README, section 2), on top of the
/// library's internal parse/merge/resolve steps: the two resource folders stand in for the classpath,
/// and "system properties" plus environment variables are one injected dictionary.
/// </summary>
internal static class ConformanceLoader
{
    /// <summary>Fake JVM system properties and environment used where the README allows injecting them.</summary>
    public static readonly IReadOnlyDictionary<string, string> FakeSystem = new Dictionary<string, string>
    {
        ["java.version"] = "21.0.2",
        ["user.home"] = "/home/mesh",
        ["HOME"] = "/home/mesh",
        ["SHELL"] = "/bin/sh",
    };

    public static HoconParseOptions ParseOptions => new()
    {
        ResourceRoots = [ConformanceFolder.Resources, ConformanceFolder.TestLibResources],
        // file("…") is relative to the working directory upstream; the tests do not run in the
        // resources folder, so point it somewhere that has none of the vector files.
        WorkingDirectory = AppContext.BaseDirectory,
    };

    public static HoconResolveOptions With(IReadOnlyDictionary<string, string>? system) =>
        system is null ? HoconResolveOptions.NoEnvironment : new HoconResolveOptions { Environment = system };

    /// <summary>Parses one file in the syntax its extension selects, unresolved.</summary>
    internal static RawObject ParseRaw(string path) => DocumentLoader.LoadFile(path, ParseOptions, 0, IncludeScope.Root);

    /// <summary>Parses and resolves one file against itself.</summary>
    public static HoconObject ParseFile(string path, IReadOnlyDictionary<string, string>? system = null) =>
        Resolver.Resolve(ParseRaw(path), With(system));

    /// <summary>Parses a file as HOCON whatever its extension (for "JSON is HOCON" and ".properties is not HOCON").</summary>
    public static HoconObject ParseAsHocon(string path) =>
        HoconParser.ParseString(File.ReadAllText(path), path, HoconResolveOptions.NoEnvironment, ParseOptions);

    /// <summary>
    /// <c>ConfigFactory.load(basename)</c>: every X.properties, X.json and X.conf in both resource roots,
    /// .conf over .json over .properties and the first root over the second, then resolved.
    /// </summary>
    public static HoconObject Load(string basename, IReadOnlyDictionary<string, string>? system = null)
    {
        var merged = new RawObject(new HoconOrigin(basename, 0, 0));
        foreach (var extension in new[] { ".properties", ".json", ".conf" })
        {
            foreach (var root in new[] { ConformanceFolder.TestLibResources, ConformanceFolder.Resources })
            {
                var path = Path.Combine(root, basename + extension);
                if (File.Exists(path))
                {
                    RawMerge.MergeObject(merged, ParseRaw(path));
                }
            }
        }

        return Resolver.Resolve(merged, With(system));
    }

    /// <summary>Application layered over an unresolved reference, then resolved together.</summary>
    public static HoconObject Layered(string reference, string application)
    {
        var merged = ParseRaw(ConformanceFolder.Resource(reference));
        RawMerge.MergeObject(merged, ParseRaw(ConformanceFolder.Resource(application)));
        return Resolver.Resolve(merged, HoconResolveOptions.NoEnvironment);
    }
}
