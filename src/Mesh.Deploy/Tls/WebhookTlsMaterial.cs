using System.Security.Cryptography.X509Certificates;

namespace Mesh.Deploy.Tls;

/// <summary>
/// The injection webhook's TLS material, PEM encoded: the CA the API server trusts (the webhook configuration's
/// <c>caBundle</c>) and the serving certificate and key the controllers present (the Secret). The CA's private key is
/// not kept: nothing signs with it after install, and a new install makes a new pair.
/// </summary>
internal sealed record WebhookTlsMaterial(string CaCertificatePem, string CertificatePem, string PrivateKeyPem)
{
    /// <summary>The serving certificate with its key, as Kestrel takes it.</summary>
    public X509Certificate2 LoadServingCertificate() => X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);

    public X509Certificate2 LoadCaCertificate() => X509Certificate2.CreateFromPem(CaCertificatePem);
}
