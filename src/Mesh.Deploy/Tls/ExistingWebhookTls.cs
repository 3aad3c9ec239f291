using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;

namespace Mesh.Deploy.Tls;

/// <summary>
/// Whether the webhook Secret of an earlier install can go on serving: then re-installing keeps it (and the CA in
/// the webhook configuration), so running <c>mesh install</c> again changes nothing. It is replaced when it is
/// missing or unreadable, when its certificate does not chain to its CA, does not name every DNS name of the
/// webhook Service, or expires within <see cref="RenewBefore"/>.
/// </summary>
internal static class ExistingWebhookTls
{
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private static readonly string[] Keys = ["ca.crt", "tls.crt", "tls.key"];

    /// <summary>The Secret's material, or null with the reason to make a new one.</summary>
    public static WebhookTlsMaterial? Reuse(V1Secret? secret, IReadOnlyList<string> dnsNames, DateTimeOffset now, out string reason)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        if (secret is null)
        {
            reason = "no webhook Secret yet";
            return null;
        }
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        var missing = Keys.Where(k => !data.TryGetValue(k, out var v) || v is null || v.Length == 0).ToList();
        if (missing.Count > 0)
        {
            reason = $"the Secret lacks {string.Join(", ", missing)}";
            return null;
        }
        var material = new WebhookTlsMaterial(Encoding.ASCII.GetString(data["ca.crt"]), Encoding.ASCII.GetString(data["tls.crt"]), Encoding.ASCII.GetString(data["tls.key"]));
        try
        {
            using var ca = material.LoadCaCertificate();
            using var serving = material.LoadServingCertificate();
            reason = Problem(ca, serving, dnsNames, now) ?? "";
            return reason.Length == 0 ? material : null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Unreadable PEM, or a key that is not the certificate's (ArgumentException).
            reason = $"the Secret's certificate or key cannot be read: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// The CA that signed the Secret's serving certificate (the first of its <c>ca.crt</c>), while it is valid, for a
    /// renewal to go on trusting it until the controllers serve the new pair; null when there is none to keep.
    /// </summary>
    public static string? PreviousCa(V1Secret? secret, DateTimeOffset now)
    {
        if (secret?.Data is not { } data || !data.TryGetValue("ca.crt", out var pem) || pem is not { Length: > 0 }) return null;
        try
        {
            using var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem));
            return ca.NotAfter.ToUniversalTime() > now.UtcDateTime ? ca.ExportCertificatePem() : null;
        }
        catch (CryptographicException)
        {
            return null; // unreadable: nothing a controller could be serving under it
        }
    }

    private static string? Problem(X509Certificate2 ca, X509Certificate2 serving, IReadOnlyList<string> dnsNames, DateTimeOffset now)
    {
        foreach (var (what, certificate) in new[] { ("the CA", ca), ("the serving certificate", serving) })
        {
            if (certificate.NotAfter.ToUniversalTime() < (now + RenewBefore).UtcDateTime)
            {
                return $"{what} expires on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
            }
            if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime) return $"{what} is not valid before {certificate.NotBefore.ToUniversalTime():u}";
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (!chain.Build(serving))
        {
            return $"the serving certificate does not chain to the CA ({string.Join(", ", chain.ChainStatus.Select(s => s.Status))})";
        }
        var named = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unnamed = dnsNames.Where(n => !named.Contains(n)).ToList();
        return unnamed.Count > 0 ? $"the serving certificate does not name {string.Join(", ", unnamed)}" : null;
    }
}
