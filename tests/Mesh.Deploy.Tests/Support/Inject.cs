using Mesh.Deploy.Injection;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Tests.Support;

/// <summary>Runs <c>mesh inject</c>'s injector on text.</summary>
internal static class Inject
{
    /// <summary>The exclusions the golden files are made with: a cluster's service range and a database port.</summary>
    public static readonly string[] GoldenSets = ["mesh.outboundIPRangeExclusionList={10.96.0.0/12}", "mesh.outboundPortExclusionList={5432}"];

    public static InjectionSettings Settings(params string[] sets) => InjectionSettings.From(ValuesParser.Parse(sets));

    public static ManifestInjection Run(string yaml, params string[] sets) => ManifestInjector.Inject(yaml, Settings(sets), "test.yaml");
}
