using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.E2E.Origin;

/// <summary>
/// A CA made fresh for each run, so the tests trust exactly the origins they started and nothing else
/// (curl in the pod gets the CA with --cacert; no system trust store is touched).
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(2);
    private readonly X509Certificate2 _root;

    private CertificateAuthority(X509Certificate2 root) => _root = root;

    public static CertificateAuthority Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Mesh E2E per-run CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new CertificateAuthority(request.CreateSelfSigned(now.AddHours(-1), now.Add(Validity)));
    }

    public string RootPem => _root.ExportCertificatePem();

    /// <summary>A server certificate for one DNS name, with its private key, signed by this CA.</summary>
    public X509Certificate2 Issue(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 asks
        // Within the CA's own validity: a leaf may not outlive its issuer, and "now" has moved since the CA was made.
        using var issued = request.Create(_root, _root.NotBefore, _root.NotAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose() => _root.Dispose();
}
