using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Deploy.Tls;

/// <summary>
/// Makes the webhook's CA and serving certificate at install time (ECDSA P-256). The serving certificate names every
/// DNS form of the webhook Service the API server may dial, is for server authentication only, and is signed by a
/// CA that can sign nothing but end certificates (path length 0).
/// </summary>
internal static class WebhookCertificates
{
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    public static readonly TimeSpan ServingLifetime = TimeSpan.FromDays(730);

    /// <summary>Clock skew between this machine and the API server must not make a fresh certificate "not yet valid".</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    public static WebhookTlsMaterial Create(string commonName, IReadOnlyList<string> dnsNames, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfZero(dnsNames.Count);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={commonName} CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var caSki = new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false);
        caRequest.CertificateExtensions.Add(caSki);
        using var ca = caRequest.CreateSelfSigned(now - Backdate, now + CaLifetime);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "serverAuth")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(caSki));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var serving = request.Create(ca, now - Backdate, now + ServingLifetime, serial);
        return new WebhookTlsMaterial(ca.ExportCertificatePem(), serving.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
