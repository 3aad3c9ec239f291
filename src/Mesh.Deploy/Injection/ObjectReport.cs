namespace Mesh.Deploy.Injection;

/// <summary>What <c>mesh inject</c> did with one object of its input, e.g. <c>deployment/web: injected</c>.</summary>
internal sealed record ObjectReport(string Kind, string? Name, InjectionVerdict? Verdict, string Reason)
{
    public override string ToString() =>
        $"{Kind.ToLowerInvariant()}/{Name ?? "(unnamed)"}: {(Verdict is null ? "not a workload, unchanged" : Reason)}";
}

/// <summary>The output stream and a report per object.</summary>
internal sealed record ManifestInjection(string Yaml, IReadOnlyList<ObjectReport> Reports);
