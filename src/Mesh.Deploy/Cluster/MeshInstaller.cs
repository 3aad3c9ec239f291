using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// <c>mesh install</c> on a cluster. In order: the CRDs, until each is Established; then everything else but the
/// webhook configuration, applied server-side as field manager "mesh"; then it waits until the controllers are
/// ready; only then the MutatingWebhookConfiguration, so that its failurePolicy Fail never meets a webhook that cannot
/// answer. Re-running it keeps the webhook's CA and certificate (while they are good) and the MeshConfig (the user's
/// after install), so that with the same values nothing is written. Each object's outcome is written as it happens.
/// </summary>
internal sealed class MeshInstaller(ClusterApi api, TextWriter output, IProgressDisplay progress, WaitSettings waits)
{
    private readonly List<ObjectResult> _results = [];

    public IReadOnlyList<ObjectResult> Results => _results;

    public async Task InstallAsync(InstallValues values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var names = new MeshNames(values);
        var (tls, tlsReason) = await WebhookTlsAsync(names, cancellationToken).ConfigureAwait(false);
        var objects = InstallManifests.Render(values, tls).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        var crds = objects.OfType<V1CustomResourceDefinition>().ToList();
        var webhook = objects.OfType<V1MutatingWebhookConfiguration>().Single();
        var deployment = objects.OfType<V1Deployment>().Single();

        foreach (var crd in crds) await ApplyAsync(crd, null, cancellationToken).ConfigureAwait(false);
        await CrdEstablishment.WaitAsync(api, crds, waits.Timeout, waits.Interval, progress, cancellationToken).ConfigureAwait(false);

        // A renewal: the API server must trust the new CA before any controller can present the new pair (the kubelet
        // swaps the Secret's files under running controllers, and a restarted one starts with them). The renewed bundle
        // trusts the old CA and the new one, so it goes first when a webhook configuration is there to update.
        var webhookFirst = tlsReason.Length > 0 && await api.ReadAsync(ObjectRef.Of(webhook), cancellationToken).ConfigureAwait(false) is not null;
        if (webhookFirst) await ApplyAsync(webhook, null, cancellationToken).ConfigureAwait(false);

        V1Deployment? appliedDeployment = null;
        foreach (var o in objects.Where(o => o is not V1CustomResourceDefinition && !ReferenceEquals(o, webhook)))
        {
            switch (o)
            {
                case MeshConfigResource meshConfig:
                    await CreateMeshConfigAsync(meshConfig, cancellationToken).ConfigureAwait(false);
                    break;
                case V1Secret secret when secret.Metadata.Name == names.InjectorSecret:
                    await ApplyAsync(o, tlsReason, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    var applied = await ApplyAsync(o, null, cancellationToken).ConfigureAwait(false);
                    if (ReferenceEquals(o, deployment)) appliedDeployment = (V1Deployment)applied;
                    break;
            }
        }

        var ready = await ControllerRollout.WaitAsync(api, appliedDeployment!, waits.Timeout, waits.Interval, progress, cancellationToken).ConfigureAwait(false);
        output.WriteLine(ready);
        if (!webhookFirst) await ApplyAsync(webhook, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The earlier install's CA and certificate while they are good; new ones (and why) otherwise.</summary>
    private async Task<(WebhookTlsMaterial Tls, string Reason)> WebhookTlsAsync(MeshNames names, CancellationToken cancellationToken)
    {
        var secretRef = new ObjectRef(ObjectEndpoints.Secrets, names.Namespace, names.InjectorSecret);
        var existing = (V1Secret?)await api.ReadAsync(secretRef, cancellationToken).ConfigureAwait(false);
        var now = api.Time.GetUtcNow();
        if (ExistingWebhookTls.Reuse(existing, names.InjectorDnsNames, now, out var reason) is { } kept) return (kept, "");
        var made = WebhookCertificates.Create(names.Injector, names.InjectorDnsNames, now);
        if (ExistingWebhookTls.PreviousCa(existing, now) is { } previous) made = made.AlsoTrusting(previous);
        return (made, existing is null ? "" : $"a new CA and webhook certificate: {reason}");
    }

    private async Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> o, string? noteIfChanged, CancellationToken cancellationToken)
    {
        var target = ObjectRef.Of(o);
        var before = await api.ReadAsync(target, cancellationToken).ConfigureAwait(false);
        var after = await api.ApplyAsync(target, o, cancellationToken).ConfigureAwait(false);
        var outcome = before is null ? ObjectOutcome.Created
            : before.Metadata.ResourceVersion == after.Metadata.ResourceVersion ? ObjectOutcome.Unchanged
            : ObjectOutcome.Updated;
        Report(new ObjectResult(target, outcome, outcome == ObjectOutcome.Unchanged || string.IsNullOrEmpty(noteIfChanged) ? null : noteIfChanged));
        return after;
    }

    /// <summary>Created if missing; an existing MeshConfig is the user's and is left alone, with a word on how it differs.</summary>
    private async Task CreateMeshConfigAsync(MeshConfigResource meshConfig, CancellationToken cancellationToken)
    {
        var target = ObjectRef.Of(meshConfig);
        if (await api.ReadAsync(target, cancellationToken).ConfigureAwait(false) is not MeshConfigResource existing)
        {
            await CreateNewKindAsync(meshConfig, cancellationToken).ConfigureAwait(false);
            return;
        }
        var drift = MeshConfigDrift.Between(existing, meshConfig);
        Report(new ObjectResult(target, ObjectOutcome.Kept, drift.Count == 0
            ? null
            : $"it is yours after install and differs from these values: {string.Join("; ", drift)}; change it with kubectl patch meshconfig " +
              $"{target.Name} -n {target.Namespace} --type=merge -p '...'"));
    }

    /// <summary>
    /// Applies an object of a kind whose CRD was just established. A real API server may answer 404 for a moment
    /// after that (its discovery catches up), so a 404 is retried until the timeout.
    /// </summary>
    private async Task CreateNewKindAsync(IKubernetesObject<V1ObjectMeta> o, CancellationToken cancellationToken)
    {
        using var deadline = new Deadline(waits.Timeout, api.Time, cancellationToken);
        while (true)
        {
            try
            {
                await ApplyAsync(o, null, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ClusterException e) when (e.InnerException is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound })
            {
                if (!await deadline.PauseAsync(waits.Interval).ConfigureAwait(false)) throw;
            }
        }
    }

    private void Report(ObjectResult result)
    {
        _results.Add(result);
        output.WriteLine(result);
    }
}
