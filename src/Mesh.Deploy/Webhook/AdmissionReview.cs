using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesh.Deploy.Webhook;

/// <summary>
/// admission.k8s.io/v1 AdmissionReview, the fields the injector reads and writes. (Not a REST resource, so
/// KubernetesClient's models do not have it.)
/// </summary>
internal sealed record AdmissionReview(
    [property: JsonPropertyName("apiVersion")] string ApiVersion,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("request")] AdmissionRequest? Request,
    [property: JsonPropertyName("response")] AdmissionResponse? Response)
{
    public const string V1 = "admission.k8s.io/v1";
}

internal sealed record AdmissionRequest(
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("kind")] GroupVersionKind? Kind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("operation")] string? Operation,
    [property: JsonPropertyName("dryRun")] bool? DryRun,
    [property: JsonPropertyName("object")] JsonElement? Object);

internal sealed record GroupVersionKind(
    [property: JsonPropertyName("group")] string Group,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("kind")] string Kind);

internal sealed record AdmissionResponse(
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("allowed")] bool Allowed,
    [property: JsonPropertyName("status")] AdmissionStatus? Status = null,
    [property: JsonPropertyName("patchType")] string? PatchType = null,
    [property: JsonPropertyName("patch")] string? Patch = null,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string>? Warnings = null);

/// <summary>metav1.Status, as much as a refusal needs: the message kubectl shows.</summary>
internal sealed record AdmissionStatus(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message);
