using Microsoft.AspNetCore.WebUtilities;

namespace Mesh.FakeKubeApi.Http;

/// <summary>One request the fake answered: what it was (verb as RBAC names it), and the status it got.</summary>
public sealed record RequestRecord(
    DateTimeOffset Time,
    string Method,
    string Path,
    string Query,
    string Verb,
    string? Group,
    string? Resource,
    string? Namespace,
    string? Name,
    int Status)
{
    /// <summary>A query parameter's value, or null.</summary>
    public string? QueryValue(string name) =>
        QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    public override string ToString() => $"{Method} {Path}{Query} -> {Status} ({Verb})";
}
