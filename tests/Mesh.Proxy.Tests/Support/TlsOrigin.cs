using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Proxy.Tests.Support;

/// <summary>A loopback TLS echo origin with a self-signed certificate for one name.</summary>
internal sealed class TlsOrigin : IAsyncDisposable
{
    private readonly TcpOrigin _tcp;
    private int _handshakes;

    public TlsOrigin(string hostName)
    {
        Certificate = CreateCertificate(hostName);
        _tcp = TcpOrigin.With(ServeAsync);
    }

    public X509Certificate2 Certificate { get; }

    public IPEndPoint Endpoint => _tcp.Endpoint;

    public int Port => _tcp.Port;

    public int Accepted => _tcp.Accepted;

    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>A client stream that trusts exactly this origin's certificate, for <paramref name="targetHost"/>.</summary>
    public async Task<SslStream> AuthenticateClientAsync(Socket socket, string targetHost, CancellationToken ct)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == Certificate.GetCertHashString(),
            }, ct);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, ct);
        Interlocked.Increment(ref _handshakes);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await ssl.ReadAsync(buffer, ct);
            if (read == 0)
            {
                await ssl.ShutdownAsync();
                return;
            }
            await ssl.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    private static X509Certificate2 CreateCertificate(string hostName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(hostName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // A PKCS#12 round trip gives a certificate whose private key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _tcp.DisposeAsync();
        Certificate.Dispose();
    }
}
