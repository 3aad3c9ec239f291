using Mesh.Deploy.Injection;
using Mesh.Deploy.Tests.Support;

namespace Mesh.Deploy.Tests;

/// <summary>
/// <c>mesh inject</c> on every kind of input (Golden/inject/NAME.yaml) against NAME.injected.yaml; injecting the
/// output again changes nothing. Regenerate with MESH_UPDATE_GOLDEN=1.
/// </summary>
public sealed class InjectionGoldenTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "pod", "" },
        { "curl-sample", "" },
        { "curl-sample", "container" },
        { "statefulset", "" },
        { "daemonset", "" },
        { "job-and-cronjob", "" },
        { "list", "" },
        { "annotated", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Injects_as_the_golden_file_says_and_a_second_run_changes_nothing(string name, string variant)
    {
        string[] sets = variant == "container" ? [.. Inject.GoldenSets, "proxy.sidecarMode=container"] : Inject.GoldenSets;
        var input = Golden.Read($"inject/{name}.yaml");
        var first = Inject.Run(input, sets);
        var suffix = variant.Length > 0 ? $".{variant}" : "";
        Golden.AssertMatches($"inject/{name}{suffix}.injected.yaml", first.Yaml);
        Assert.Contains(first.Reports, r => r.Verdict == InjectionVerdict.Injected);

        var second = Inject.Run(first.Yaml, sets);
        Assert.Equal(first.Yaml, second.Yaml);
        Assert.DoesNotContain(second.Reports, r => r.Verdict == InjectionVerdict.Injected);
        Assert.Equal(
            first.Reports.Select(r => r.Verdict == InjectionVerdict.Injected ? InjectionVerdict.AlreadyInjected : r.Verdict),
            second.Reports.Select(r => r.Verdict));
    }

    [Fact]
    public void Every_workload_kind_is_injected()
    {
        var kinds = Cases.Select(c => (string)c[0]).Distinct()
            .SelectMany(name => Inject.Run(Golden.Read($"inject/{name}.yaml"), Inject.GoldenSets).Reports)
            .Where(r => r.Verdict == InjectionVerdict.Injected)
            .Select(r => r.Kind)
            .ToHashSet();
        Assert.Superset(kinds, Workloads.Kinds.Select(k => k.Kind).Where(k => k != "ReplicationController").ToHashSet());
        Assert.Contains("ReplicationController", Inject.Run("""
            apiVersion: v1
            kind: ReplicationController
            metadata: {name: rc}
            spec: {template: {spec: {containers: [{name: a, image: a}]}}}
            """).Reports.Where(r => r.Verdict == InjectionVerdict.Injected).Select(r => r.Kind));
    }
}
