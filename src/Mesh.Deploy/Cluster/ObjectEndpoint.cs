using k8s;
using k8s.Models;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// How to read, apply (server-side, as field manager <see cref="FieldManager"/>) and delete one kind of object with
/// KubernetesClient's typed operations. <see cref="ObjectEndpoints"/> holds one per kind an installation has.
/// </summary>
internal sealed class ObjectEndpoint
{
    /// <summary>The field manager of every apply: the fields Mesh sets are Mesh's, and forced (they are ours to set).</summary>
    public const string FieldManager = "mesh";

    private readonly Func<IKubernetes, string?, string, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> _read;
    private readonly Func<IKubernetes, V1Patch, string?, string, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> _apply;
    private readonly Func<IKubernetes, string?, string, CancellationToken, Task> _delete;

    private ObjectEndpoint(
        Type type,
        string kind,
        string resource,
        bool namespaced,
        Func<IKubernetes, string?, string, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> read,
        Func<IKubernetes, V1Patch, string?, string, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> apply,
        Func<IKubernetes, string?, string, CancellationToken, Task> delete)
    {
        Type = type;
        Kind = kind;
        Resource = resource;
        Namespaced = namespaced;
        _read = read;
        _apply = apply;
        _delete = delete;
    }

    public Type Type { get; }

    public string Kind { get; }

    /// <summary><c>plural.group</c> (just the plural in the core group), as RBAC and kubectl name it.</summary>
    public string Resource { get; }

    public bool Namespaced { get; }

    /// <summary>What kubectl prints: <c>deployment.apps</c>, <c>secret</c>.</summary>
    public string ShortName
    {
        get
        {
            var dot = Resource.IndexOf('.', StringComparison.Ordinal);
            var kind = Kind.ToLowerInvariant();
            return dot < 0 ? kind : kind + Resource[dot..];
        }
    }

    public Task<IKubernetesObject<V1ObjectMeta>> ReadAsync(IKubernetes client, string? ns, string name, CancellationToken cancellationToken) =>
        _read(client, ns, name, cancellationToken);

    public Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> o, CancellationToken cancellationToken) =>
        _apply(client, new V1Patch(o, V1Patch.PatchType.ApplyPatch), Namespaced ? o.Metadata.NamespaceProperty : null, o.Metadata.Name, cancellationToken);

    public Task DeleteAsync(IKubernetes client, string? ns, string name, CancellationToken cancellationToken) =>
        _delete(client, ns, name, cancellationToken);

    public static ObjectEndpoint Cluster<T>(
        string kind,
        string resource,
        Func<IKubernetes, string, CancellationToken, Task<T>> read,
        Func<IKubernetes, V1Patch, string, CancellationToken, Task<T>> apply,
        Func<IKubernetes, string, CancellationToken, Task> delete)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(typeof(T), kind, resource, namespaced: false,
            async (k, _, name, ct) => await read(k, name, ct).ConfigureAwait(false),
            async (k, patch, _, name, ct) => await apply(k, patch, name, ct).ConfigureAwait(false),
            (k, _, name, ct) => delete(k, name, ct));

    public static ObjectEndpoint InNamespace<T>(
        string kind,
        string resource,
        Func<IKubernetes, string, string, CancellationToken, Task<T>> read,
        Func<IKubernetes, V1Patch, string, string, CancellationToken, Task<T>> apply,
        Func<IKubernetes, string, string, CancellationToken, Task> delete)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(typeof(T), kind, resource, namespaced: true,
            async (k, ns, name, ct) => await read(k, ns!, name, ct).ConfigureAwait(false),
            async (k, patch, ns, name, ct) => await apply(k, patch, ns!, name, ct).ConfigureAwait(false),
            (k, ns, name, ct) => delete(k, ns!, name, ct));
}
