using System.Net;

namespace Mesh.Cli.Configuration;

/// <summary>
/// The injection webhook a controller serves (only when <c>--webhook</c> is given, as the installed controllers do): where
/// it listens, its serving certificate and key (the Secret <c>mesh install</c> made, mounted), and the install values
/// (the ConfigMap, mounted) that say what to inject.
/// </summary>
internal sealed record WebhookSettings(IPEndPoint Endpoint, string CertificateFile, string KeyFile, string InstallValuesFile)
{
    /// <exception cref="SettingsException">A flag is missing or not usable.</exception>
    public static WebhookSettings? FromFlags(string? endpoint, string? certificate, string? key, string? values)
    {
        if (endpoint is null) return null;
        if (!IPEndPoint.TryParse(endpoint, out var listen)) throw new SettingsException("--webhook", $"'{endpoint}' is not ADDRESS:PORT");
        foreach (var (flag, file) in new[] { ("--webhook-certificate", certificate), ("--webhook-key", key), ("--install-values", values) })
        {
            if (string.IsNullOrEmpty(file)) throw new SettingsException(flag, "is required with --webhook");
            if (!File.Exists(file)) throw new SettingsException(flag, $"{file} does not exist");
        }
        return new WebhookSettings(listen, certificate!, key!, values!);
    }
}
