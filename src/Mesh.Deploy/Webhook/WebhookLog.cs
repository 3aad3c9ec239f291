using Microsoft.Extensions.Logging;

namespace Mesh.Deploy.Webhook;

internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "webhook: a request that is not an AdmissionReview: {Error}")]
    public static partial void NotAReview(this ILogger logger, string error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "webhook: {Message}")]
    public static partial void Refused(this ILogger logger, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "webhook: serving a new certificate: {Certificate}")]
    public static partial void CertificateReloaded(this ILogger logger, string certificate);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "webhook: kept the serving certificate in use; the new one was refused: {Error}")]
    public static partial void CertificateRefused(this ILogger logger, string error);

    /// <summary>Logs what a refresh did, if anything.</summary>
    public static void Refreshed(this ILogger logger, CertificateRefresh refresh)
    {
        switch (refresh.Result)
        {
            case CertificateRefreshResult.Reloaded:
                logger.CertificateReloaded(refresh.Detail);
                break;
            case CertificateRefreshResult.Rejected:
                logger.CertificateRefused(refresh.Detail);
                break;
        }
    }
}
