using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Mesh.Kubernetes.Access;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Status;

/// <summary>
/// The client side of the status writer: sets Mesh's conditions (and the last accepted spec) of one object through
/// its <c>status</c> subresource (get, then a JSON merge patch), and only when they change. The caller (a cluster
/// singleton, so one controller writes) decides what and when; failures other than a lost race are thrown to it.
/// </summary>
/// <remarks>
/// A merge patch replaces a list whole, so the patch carries every condition, others' included, with
/// <c>metadata.resourceVersion</c> as a precondition: if someone else wrote the object meanwhile, the server
/// answers 409 and the writer reads it again and retries (up to <see cref="MaxAttempts"/>), rather than
/// overwriting their condition.
/// </remarks>
public sealed class EgressStatusWriter
{
    public const string FieldManager = "mesh-controller";
    public const int MaxAttempts = 3;

    private readonly IKubernetes _client;
    private readonly TimeProvider _time;

    public EgressStatusWriter(IKubernetes client, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Whether <paramref name="observed"/> (as listed or watched) already carries <paramref name="wanted"/>: then there is
    /// nothing to write and no reason to read the object first. After a controller start or a hand-over every object
    /// is listed with its status, so a writer that asked the server instead sent one GET per object and wrote nothing
    /// (10,000 requests per start with 10,000 Egress objects: bench/kubernetes, docs/benchmarks.md).
    /// </summary>
    public bool IsCurrent(KubeObject observed, WantedStatus wanted)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(wanted);
        return ConditionUpdate.Compute(observed.Json, wanted, _time.GetUtcNow()) is null;
    }

    /// <summary>Sets the <c>Accepted</c> condition alone.</summary>
    public Task<StatusWriteOutcome> WriteAsync(WatchedResource source, ObjectKey key, AcceptedCondition wanted, CancellationToken cancellationToken) =>
        WriteAsync(source, key, WantedStatus.Of(wanted), cancellationToken);

    /// <exception cref="HttpOperationException">The server refused (403: RBAC lacks get/patch on <c>egresses/status</c>), or 409 persisted.</exception>
    public async Task<StatusWriteOutcome> WriteAsync(WatchedResource source, ObjectKey key, WantedStatus wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(wanted);
        var r = source.Resource;
        var version = await ServedVersions.ResolveAsync(_client, r, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            JsonElement current;
            try
            {
                var got = await _client.CustomObjects.GetNamespacedCustomObjectStatusAsync(r.Group, version, key.Namespace, r.Plural, key.Name,
                    cancellationToken).ConfigureAwait(false);
                current = got is JsonElement e ? e : JsonDocument.Parse(KubernetesJson.Serialize(got)).RootElement;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return StatusWriteOutcome.ObjectGone;
            }

            var status = ConditionUpdate.Compute(current, wanted, _time.GetUtcNow());
            if (status is null) return StatusWriteOutcome.Unchanged;
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = KubeObject.FromJson(current).ResourceVersion },
                ["status"] = status,
            };
            try
            {
                await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                    r.Group, version, key.Namespace, r.Plural, key.Name, fieldManager: FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
                return StatusWriteOutcome.Written;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Someone wrote the object between our read and our patch: read again.
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return StatusWriteOutcome.ObjectGone;
            }
        }
    }
}
