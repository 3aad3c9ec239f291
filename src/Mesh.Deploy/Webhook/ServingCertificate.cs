using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Deploy.Webhook;

/// <summary>
/// The webhook's serving certificate and key, read from the files of the mounted Secret and read again by
/// <see cref="Refresh"/>: a re-install makes a new pair (and a new <c>caBundle</c>), and the kubelet swaps the mounted
/// files a minute or so later, so a controller that kept the pair it started with would be refused by the API server
/// until restarted. Files are compared by content, not by time (the kubelet swaps a symbolic link; an operator may
/// copy files in place). A pair that does not load (a key that is not the certificate's, a half-written file) is
/// reported once and the pair in use stays: such a Secret never stops the webhook that works. A pair that loads is
/// taken as it is: the install that wrote it checked its names and dates.
/// </summary>
internal sealed class ServingCertificate
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private Loaded _current;
    private (string Certificate, string Key)? _rejected;

    private ServingCertificate(string certificateFile, string keyFile, Loaded current)
    {
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        _current = current;
    }

    /// <summary>The pair to present now (read on every TLS handshake).</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current).Certificate;

    /// <summary>Reads the pair; a start with files that do not load fails with an error naming them.</summary>
    public static ServingCertificate Load(string certificateFile, string keyFile)
    {
        var certificate = Read(certificateFile);
        var key = Read(keyFile);
        if (TryLoad(certificate, key, out var loaded, out var error)) return new ServingCertificate(certificateFile, keyFile, loaded);
        throw new InvalidDataException($"{certificateFile}, {keyFile}: not a serving certificate and its private key (PEM): {error}");
    }

    /// <summary>For a pair already in memory, with no files to read again (tests).</summary>
    public static ServingCertificate FromPem(string certificatePem, string privateKeyPem) =>
        TryLoad(certificatePem, privateKeyPem, out var loaded, out var error)
            ? new ServingCertificate("", "", loaded)
            : throw new InvalidDataException($"not a serving certificate and its private key (PEM): {error}");

    /// <summary>
    /// Reads the files again and takes a new pair that loads. Not thread-safe against itself: one refresher calls it.
    /// </summary>
    public CertificateRefresh Refresh()
    {
        if (_certificateFile.Length == 0) return CertificateRefresh.Unchanged;
        var current = Volatile.Read(ref _current);
        // Read twice at most: a first read may fall between the kubelet's swap of the two files, or in an operator's copy.
        for (var attempt = 1; ; attempt++)
        {
            string certificate, key;
            try
            {
                certificate = Read(_certificateFile);
                key = Read(_keyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 1) continue;
                return Reject(("", e.Message), $"{_certificateFile}, {_keyFile}: {e.Message}");
            }
            if (certificate == current.CertificatePem && key == current.KeyPem)
            {
                _rejected = null; // back to the pair in use: a bad pair that comes again is reported again
                return CertificateRefresh.Unchanged;
            }
            if (TryLoad(certificate, key, out var loaded, out var error))
            {
                _rejected = null;
                Volatile.Write(ref _current, loaded);
                // The pair it replaces is not disposed: a handshake in flight may still be using it.
                return new CertificateRefresh(CertificateRefreshResult.Reloaded, Describe(loaded.Certificate));
            }
            if (attempt > 1)
            {
                return Reject((certificate, key), $"{_certificateFile}, {_keyFile}: not a serving certificate and its private key (PEM): {error}");
            }
        }
    }

    /// <summary>Subject and expiry, for the log.</summary>
    private static string Describe(X509Certificate2 certificate) =>
        $"{certificate.Subject}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";

    /// <summary>The same bad pair is reported once, not on every refresh.</summary>
    private CertificateRefresh Reject((string, string) contents, string error)
    {
        if (_rejected == contents) return CertificateRefresh.Unchanged;
        _rejected = contents;
        return new CertificateRefresh(CertificateRefreshResult.Rejected, error);
    }

    private static string Read(string file) => File.ReadAllText(file);

    private static bool TryLoad(string certificatePem, string keyPem, out Loaded loaded, out string error)
    {
        try
        {
            loaded = new Loaded(X509Certificate2.CreateFromPem(certificatePem, keyPem), certificatePem, keyPem);
            error = "";
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            loaded = null!;
            error = e.Message;
            return false;
        }
    }

    private sealed record Loaded(X509Certificate2 Certificate, string CertificatePem, string KeyPem);
}

internal enum CertificateRefreshResult
{
    Unchanged,
    Reloaded,
    Rejected,
}

/// <summary>What a refresh did: <see cref="Detail"/> describes the new pair, or why the files were not taken.</summary>
internal readonly record struct CertificateRefresh(CertificateRefreshResult Result, string Detail)
{
    public static CertificateRefresh Unchanged => new(CertificateRefreshResult.Unchanged, "");
}
