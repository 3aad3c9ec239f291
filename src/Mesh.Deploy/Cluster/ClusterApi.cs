using k8s;
using k8s.Autorest;
using k8s.Models;
using Mesh.Kubernetes.Reflection;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// The API calls of <c>mesh install</c>, <c>uninstall</c> and <c>namespace</c>: reads that may find nothing,
/// server-side applies, deletes. A throttled or failing server (429, 5xx) is retried a few times with backoff
/// (Retry-After honoured); any other failure becomes a <see cref="ClusterException"/> that names the call and the
/// object, quotes the server, and says what to fix for 401 and 403.
/// </summary>
internal sealed class ClusterApi
{
    private const int Attempts = 5;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(5);

    public ClusterApi(IKubernetes client, string server, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        Server = server;
        Time = time ?? TimeProvider.System;
    }

    public IKubernetes Client { get; }

    /// <summary>Where the client points, for messages: the server's address and context.</summary>
    public string Server { get; }

    public TimeProvider Time { get; }

    /// <summary>The object as the server has it, or null if there is none.</summary>
    public Task<IKubernetesObject<V1ObjectMeta>?> ReadAsync(ObjectRef target, CancellationToken cancellationToken) =>
        ReadAsync(target.Describe("get"), ct => target.Endpoint.ReadAsync(Client, target.Namespace, target.Name, ct), cancellationToken);

    /// <summary>Server-side apply: creates the object or sets the fields it carries; returns what the server stored.</summary>
    public Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(ObjectRef target, IKubernetesObject<V1ObjectMeta> o, CancellationToken cancellationToken) =>
        CallAsync(target.Describe("patch"), ct => target.Endpoint.ApplyAsync(Client, o, ct), cancellationToken);

    /// <summary>Deletes the object; false if there was none.</summary>
    public async Task<bool> DeleteAsync(ObjectRef target, CancellationToken cancellationToken)
    {
        var deleted = await ReadAsync<object>(target.Describe("delete"), async ct =>
        {
            await target.Endpoint.DeleteAsync(Client, target.Namespace, target.Name, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return deleted is not null;
    }

    /// <summary>A call whose 404 means "none": null then.</summary>
    public async Task<T?> ReadAsync<T>(string action, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await CallAsync(action, call, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.InnerException is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            return null;
        }
    }

    /// <summary>A call, retried while the server is throttling or failing; any other failure is a <see cref="ClusterException"/>.</summary>
    public async Task<T> CallAsync<T>(string action, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failure = ApiFailure.From(e, Time);
                if (attempt < Attempts && failure.Kind is FailureKind.Throttled or FailureKind.ServerError)
                {
                    var wait = failure.RetryAfter is { } after && after > backoff ? after : backoff;
                    await Task.Delay(wait < LongestBackoff ? wait : LongestBackoff, Time, cancellationToken).ConfigureAwait(false);
                    backoff *= 2;
                    continue;
                }
                throw new ClusterException(Explain(action, failure, attempt), e);
            }
        }
    }

    private string Explain(string action, ApiFailure failure, int attempts)
    {
        var server = failure.Detail.Length > 0 ? $": {failure.Detail}" : "";
        var tries = attempts > 1 ? $" (after {attempts} attempts)" : "";
        return failure.Kind switch
        {
            FailureKind.Forbidden =>
                $"cannot {action}: 403 Forbidden{server}. The user of {Server} lacks this permission; installing Mesh takes a cluster " +
                "administrator's rights (it creates CRDs, a ClusterRole and a webhook configuration).",
            FailureKind.Unauthorized =>
                $"cannot {action}: 401 Unauthorized{server}. {Server} does not accept the credentials of the kubeconfig's user.",
            FailureKind.Transport => $"cannot {action}: the API server at {Server} cannot be reached: {failure.Detail}",
            _ => $"cannot {action}: {failure}{tries}",
        };
    }
}
