using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Mesh.Kubernetes.Access;

namespace Mesh.Kubernetes.Reflection;

/// <summary>A failed list or watch, classified: what kind, the HTTP status if any, Retry-After, the server's words.</summary>
internal sealed record ApiFailure(FailureKind Kind, int? StatusCode, TimeSpan? RetryAfter, string Detail, string? ExpiredForm)
{
    public static ApiFailure From(Exception e, TimeProvider time)
    {
        switch (e)
        {
            case WatchStalledException stalled:
                return new(FailureKind.Stalled, null, null, stalled.Message, null);
            case ShortWatchException shortWatch:
                return new(FailureKind.ShortWatch, null, null, shortWatch.Message, null);
            case ResourceNotServedException notServed:
                return new(FailureKind.NotFound, 404, null, notServed.Message, null);
            case KubernetesException { Status: { } status }:
                // A Status object inside the watch stream (an ERROR event).
                var code = status.Code ?? 500;
                return new(KindOf(code), code, null, StatusText(status.Reason, status.Message), code == 410 ? "error_event" : null);
            case HttpOperationException { Response: { } response }:
                var statusCode = (int)response.StatusCode;
                return new(KindOf(statusCode), statusCode, ReadRetryAfter(response.Headers, time), BodyText(response.Content, response.ReasonPhrase),
                    statusCode == 410 ? "http_status" : null);
            case HttpRequestException or IOException or SocketException or TimeoutException:
                return new(FailureKind.Transport, null, null, Flatten(e), null);
            default:
                return new(FailureKind.Unexpected, null, null, Flatten(e), null);
        }
    }

    private static FailureKind KindOf(int code) => code switch
    {
        410 => FailureKind.Expired,
        429 => FailureKind.Throttled,
        401 => FailureKind.Unauthorized,
        403 => FailureKind.Forbidden,
        404 => FailureKind.NotFound,
        >= 500 and < 600 => FailureKind.ServerError,
        _ => FailureKind.Unexpected,
    };

    /// <summary>Retry-After as seconds or an HTTP date (RFC 9110 10.2.3); null when absent or unreadable.</summary>
    private static TimeSpan? ReadRetryAfter(IDictionary<string, IEnumerable<string>> headers, TimeProvider time)
    {
        var value = headers.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (value is null) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>The message of a Status body if it is one, else the body itself (shortened).</summary>
    private static string BodyText(string? body, string? reasonPhrase)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("kind", out var kind) && kind.GetString() == "Status")
                {
                    string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    return StatusText(Field("reason"), Field("message"));
                }
            }
            catch (JsonException)
            {
                // Not JSON: report the text as it came.
            }
            return body.Length > 300 ? body[..300] + "..." : body;
        }
        return reasonPhrase ?? "";
    }

    private static string StatusText(string? reason, string? message) =>
        (reason, message) switch
        {
            (null or "", null or "") => "",
            (null or "", _) => message!,
            (_, null or "") => reason!,
            _ => $"{reason}: {message}",
        };

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (!parts.Contains(x.Message)) parts.Add(x.Message);
        }
        return string.Join(" -> ", parts);
    }

    public override string ToString() => StatusCode is { } c ? $"{c} {Detail}" : Detail;
}

/// <summary>Thrown by the reflector itself when a watch stream sent nothing within the stall bound.</summary>
internal sealed class WatchStalledException(string message) : Exception(message);

/// <summary>Thrown by the reflector when watches keep closing at once with no event.</summary>
internal sealed class ShortWatchException(string message) : Exception(message);
