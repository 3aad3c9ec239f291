using Mesh.Deploy.Injection;
using Mesh.Deploy.Values;
using Mesh.Policy.Loading;
using PolicyMeshConfig = Mesh.Policy.Model.MeshConfig;

namespace Mesh.Deploy.Commands;

/// <summary>
/// <c>mesh inject -f FILE|-</c>: the webhook's injection, offline, on a stream of manifests (like <c>linkerd inject</c>).
/// The interception exclusions are the install values' (the default MeshConfig's), or those of the MeshConfig in
/// <c>--mesh-config FILE</c>. The injected stream goes to stdout, one line per object to stderr.
/// </summary>
internal static class InjectRunner
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    public static int Run(InstallArguments arguments, string file, string? meshConfigFile, TextReader stdin, TextWriter output, TextWriter error)
    {
        InjectionSettings settings;
        try
        {
            var values = ValuesParser.Parse(arguments.Assignments);
            settings = meshConfigFile is null ? InjectionSettings.From(values) : new InjectionSettings(values, MeshTraffic.From(ReadMeshConfig(meshConfigFile)));
        }
        catch (Exception e) when (e is ValuesException or InjectionException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mesh inject: {e.Message}");
            return UsageError;
        }

        string text;
        try
        {
            text = file == "-" ? stdin.ReadToEnd() : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mesh inject: {e.Message}");
            return UsageError;
        }

        ManifestInjection result;
        try
        {
            result = ManifestInjector.Inject(text, settings, file == "-" ? "stdin" : file);
        }
        catch (InjectionException e)
        {
            error.WriteLine($"mesh inject: {e.Message}");
            return Failed;
        }
        output.Write(result.Yaml);
        foreach (var report in result.Reports) error.WriteLine($"mesh inject: {report}");
        return Ok;
    }

    /// <summary>The one MeshConfig of a file, validated as the controller validates it.</summary>
    private static PolicyMeshConfig ReadMeshConfig(string path)
    {
        var loaded = ManifestLoader.LoadText(File.ReadAllText(path), path);
        if (loaded.Errors.Count > 0) throw new InjectionException(string.Join("; ", loaded.Errors));
        var configs = loaded.Resources.OfType<PolicyMeshConfig>().ToList();
        return configs.Count == 1
            ? configs[0]
            : throw new InjectionException($"{path}: expected one MeshConfig, found {configs.Count}");
    }
}
