namespace Mesh.Deploy.Commands;

/// <summary>The values flags <c>mesh install</c> and <c>mesh inject</c> share: <c>--set</c>s, then the flags that name a key.</summary>
internal sealed record InstallArguments(IReadOnlyList<string> Sets, string? MeshName, string? Namespace)
{
    /// <summary>The --set assignments with the dedicated flags last, so that they win.</summary>
    public IEnumerable<string> Assignments =>
    [
        .. Sets,
        .. MeshName is null ? [] : new[] { $"mesh.name={MeshName}" },
        .. Namespace is null ? [] : new[] { $"mesh.namespace={Namespace}" },
    ];
}
