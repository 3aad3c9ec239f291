using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Mesh.Deploy.Tests.Support;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Webhook;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Deploy.Tests;

/// <summary>
/// The webhook's serving certificate read again from the Secret's files: a new pair is presented from the next TLS
/// handshake on, and a pair that does not load is refused once, with the files named, while the pair in use stays.
/// Real Kestrel, real TLS handshakes.
/// </summary>
public sealed class ServingCertificateTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly WebhookTlsMaterial _first = Pair();
    private readonly WebhookTlsMaterial _second = Pair();
    private ServingCertificate _certificate = null!;
    private WebhookServer _server = null!;

    public async Task InitializeAsync()
    {
        WriteFiles(_first.CertificatePem, _first.PrivateKeyPem);
        _certificate = ServingCertificate.Load(CertificateFile, KeyFile);
        _server = await WebhookServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), _certificate,
            () => Inject.Settings(), NullLoggerFactory.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_new_pair_in_the_files_is_presented_from_the_next_handshake_on()
    {
        Assert.Equal(Thumbprint(_first), await PresentedThumbprintAsync());
        Assert.Equal(CertificateRefreshResult.Unchanged, _certificate.Refresh().Result);

        WriteFiles(_second.CertificatePem, _second.PrivateKeyPem);
        var refresh = _certificate.Refresh();

        Assert.Equal(CertificateRefreshResult.Reloaded, refresh.Result);
        Assert.Contains("CN=mesh-injector.mesh-system.svc", refresh.Detail, StringComparison.Ordinal);
        Assert.Equal(Thumbprint(_second), await PresentedThumbprintAsync());
    }

    [Fact]
    public async Task A_pair_that_does_not_load_is_refused_once_and_the_pair_in_use_stays()
    {
        // The kubelet swaps both files at once; an operator copying them in place is caught between the two.
        WriteFiles(_second.CertificatePem, _first.PrivateKeyPem);

        var refused = _certificate.Refresh();
        Assert.Equal(CertificateRefreshResult.Rejected, refused.Result);
        Assert.Contains(CertificateFile, refused.Detail, StringComparison.Ordinal);
        Assert.Contains(KeyFile, refused.Detail, StringComparison.Ordinal);
        Assert.Equal(CertificateRefreshResult.Unchanged, _certificate.Refresh().Result); // said once, not every round
        Assert.Equal(Thumbprint(_first), await PresentedThumbprintAsync());

        File.Delete(KeyFile);
        Assert.Equal(CertificateRefreshResult.Rejected, _certificate.Refresh().Result);
        Assert.Equal(Thumbprint(_first), await PresentedThumbprintAsync());

        WriteFiles(_second.CertificatePem, _second.PrivateKeyPem);
        Assert.Equal(CertificateRefreshResult.Reloaded, _certificate.Refresh().Result);
        Assert.Equal(Thumbprint(_second), await PresentedThumbprintAsync());
    }

    [Fact]
    public void Files_that_do_not_load_at_start_stop_it_with_both_files_named()
    {
        var certificate = _dir.Write("other.crt", _second.CertificatePem);
        var key = _dir.Write("other.key", "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");

        var e = Assert.Throws<InvalidDataException>(() => ServingCertificate.Load(certificate, key));

        Assert.Contains(certificate, e.Message, StringComparison.Ordinal);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    private string CertificateFile => Path.Combine(_dir.Path, "tls.crt");

    private string KeyFile => Path.Combine(_dir.Path, "tls.key");

    private void WriteFiles(string certificate, string key)
    {
        File.WriteAllText(CertificateFile, certificate);
        File.WriteAllText(KeyFile, key);
    }

    private static WebhookTlsMaterial Pair() =>
        WebhookCertificates.Create("mesh-injector", ["mesh-injector.mesh-system.svc"], DateTimeOffset.UtcNow);

    private static string Thumbprint(WebhookTlsMaterial tls) => X509Certificate2.CreateFromPem(tls.CertificatePem).Thumbprint;

    /// <summary>One new TLS handshake with the server, by a client that trusts both pairs' CAs; the certificate presented.</summary>
    private async Task<string> PresentedThumbprintAsync()
    {
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.Add(_first.LoadCaCertificate());
        trust.CustomTrustStore.Add(_second.LoadCaCertificate());
        using var client = new TcpClient();
        await client.ConnectAsync(_server.Endpoint);
        await using var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mesh-injector.mesh-system.svc",
            CertificateChainPolicy = trust,
        });
        return tls.RemoteCertificate!.GetCertHashString();
    }
}
