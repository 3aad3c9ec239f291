using System.Security.Cryptography.X509Certificates;

namespace Mesh.Deploy.Tls;

/// <summary>
/// The injection webhook's TLS material, PEM encoded: the CA the API server trusts (the webhook configuration's
/// <c>caBundle</c>) and the serving certificate and key the controllers present (the Secret). The CA's private key is
/// not kept: nothing signs with it after install, and a new install makes a new pair. After a renewal the CA text holds
/// two certificates, the new CA first and then the one it replaces (<see cref="AlsoTrusting"/>).
/// </summary>
internal sealed record WebhookTlsMaterial(string CaCertificatePem, string CertificatePem, string PrivateKeyPem)
{
    /// <summary>
    /// The same material with <paramref name="previousCaPem"/> trusted too: the running controllers present the old
    /// pair until the kubelet swaps the mounted Secret's files (a minute or more) and they read them again, a restarted
    /// one the new pair at once; a bundle that trusts both CAs (applied before the new Secret) keeps pod creation
    /// (failurePolicy Fail) working through the swap.
    /// </summary>
    public WebhookTlsMaterial AlsoTrusting(string previousCaPem) =>
        this with { CaCertificatePem = CaCertificatePem.TrimEnd('\n') + "\n" + previousCaPem.Trim() + "\n" };

    /// <summary>The serving certificate with its key, as Kestrel takes it.</summary>
    public X509Certificate2 LoadServingCertificate() => X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);

    /// <summary>The CA this material's serving certificate chains to (the first in the text).</summary>
    public X509Certificate2 LoadCaCertificate() => X509Certificate2.CreateFromPem(CaCertificatePem);
}
