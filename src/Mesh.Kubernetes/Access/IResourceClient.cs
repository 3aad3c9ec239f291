using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Access;

/// <summary>
/// List and watch of one <see cref="WatchedResource"/>, as a reflector needs them. Errors are thrown as the client
/// library throws them (<c>HttpOperationException</c>, <c>KubernetesException</c> for ERROR watch events,
/// <c>HttpRequestException</c>); the reflector classifies them.
/// </summary>
public interface IResourceClient
{
    WatchedResource Resource { get; }

    /// <summary>
    /// One page of a consistent list. A null <paramref name="continueToken"/> starts a new list (and may re-resolve
    /// the served version); the server's continue token, if any, asks for the next page of the same snapshot.
    /// </summary>
    Task<ListPage> ListPageAsync(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks, asking the server to close after
    /// <paramref name="timeoutSeconds"/>. Ends when the server closes the stream; a Status in the stream is thrown.
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken);
}
