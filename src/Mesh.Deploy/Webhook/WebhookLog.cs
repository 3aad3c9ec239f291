using Microsoft.Extensions.Logging;

namespace Mesh.Deploy.Webhook;

internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "webhook: a request that is not an AdmissionReview: {Error}")]
    public static partial void NotAReview(this ILogger logger, string error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "webhook: {Message}")]
    public static partial void Refused(this ILogger logger, string message);
}
