using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Mesh.Deploy.Injection;

namespace Mesh.Deploy.Webhook;

/// <summary>
/// Answers one AdmissionReview: the pod's injection as a JSON Patch, or the pod allowed unchanged (opted out,
/// already injected, host network, not a pod), or refused with the reason when it cannot be injected as it is (fail
/// closed: a pod meant to be meshed never runs unmeshed). Pure: the settings come from the caller, who keeps them
/// current (the controller passes the live MeshConfig's exclusions).
/// </summary>
internal static class AdmissionHandler
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static AdmissionReview Handle(AdmissionReview review, InjectionSettings settings)
    {
        var request = review.Request ?? throw new ArgumentException("the AdmissionReview has no request", nameof(review));
        return new AdmissionReview(AdmissionReview.V1, "AdmissionReview", null, Respond(request, settings));
    }

    public static byte[] Serialize(AdmissionReview review) => JsonSerializer.SerializeToUtf8Bytes(review, Json);

    public static AdmissionReview? Deserialize(ReadOnlySpan<byte> body) => JsonSerializer.Deserialize<AdmissionReview>(body, Json);

    private static AdmissionResponse Respond(AdmissionRequest request, InjectionSettings settings)
    {
        if (request.Kind is not { Group: "", Kind: "Pod" } || request.Object is not { } podJson)
        {
            return new AdmissionResponse(request.Uid, Allowed: true);
        }

        V1Pod pod;
        try
        {
            pod = KubernetesJson.Deserialize<V1Pod>(podJson.GetRawText());
        }
        catch (JsonException e)
        {
            return Refuse(request, $"the pod cannot be read: {e.Message}");
        }
        if (pod.Spec is null) return Refuse(request, "the pod has no spec");

        InjectionOutcome outcome;
        try
        {
            outcome = PodInjector.Plan(pod.Metadata, pod.Spec, settings);
        }
        catch (InjectionException e)
        {
            return Refuse(request, e.Message);
        }
        if (outcome.Verdict != InjectionVerdict.Injected)
        {
            return new AdmissionResponse(request.Uid, Allowed: true,
                Warnings: outcome.Verdict == InjectionVerdict.Skipped ? [$"mesh: sidecar not injected: {outcome.Reason}"] : null);
        }

        var patch = JsonSerializer.SerializeToUtf8Bytes(outcome.Changes.ToJsonPatch(pod.Spec), Json);
        return new AdmissionResponse(request.Uid, Allowed: true, PatchType: "JSONPatch", Patch: Convert.ToBase64String(patch));
    }

    private static AdmissionResponse Refuse(AdmissionRequest request, string reason)
    {
        var pod = request.Name is { Length: > 0 } name ? $"pod {request.Namespace}/{name}" : $"a pod in {request.Namespace}";
        return new AdmissionResponse(request.Uid, Allowed: false, new AdmissionStatus(400, $"mesh sidecar injection refused {pod}: {reason}"));
    }

    internal static string DecodePatch(AdmissionResponse response) =>
        response.Patch is null ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(response.Patch));
}
