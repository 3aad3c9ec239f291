using k8s;
using Mesh.Deploy.Commands;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Tests.Support;

/// <summary>Renders installations the way <c>mesh install --dry-run</c> does, and loads them back as typed objects.</summary>
internal static class Install
{
    /// <summary>What KubernetesYaml needs to load our custom objects as typed ones too.</summary>
    public static Dictionary<string, Type> CustomTypes { get; } = new()
    {
        [$"{MeshConfigResource.DefaultApiVersion}/{MeshConfigResource.Kind_}"] = typeof(MeshConfigResource),
    };

    public static InstallValues Values(params string[] sets) => ValuesParser.Parse(sets);

    /// <summary>The CLI's output for these arguments (stdout, stderr, exit code).</summary>
    public static (string Stdout, string Stderr, int Exit) DryRun(InstallArguments arguments)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = InstallRunner.DryRun(arguments, stdout, stderr);
        return (stdout.ToString(), stderr.ToString(), exit);
    }

    public static string Yaml(params string[] sets)
    {
        var (stdout, stderr, exit) = DryRun(new InstallArguments(sets, null, null));
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    public static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomTypes);

    public static List<object> Objects(params string[] sets) => Load(Yaml(sets));

    public static T Single<T>(IEnumerable<object> objects) => Assert.Single(objects.OfType<T>());
}
