using System.Net.Security;
using System.Security.Authentication;

namespace Mesh.Protocols.Tests.Support;

/// <summary>
/// Produces real ClientHellos: runs an <see cref="SslStream"/> client over a stream that records what it
/// writes and answers its first read with end-of-stream, so the handshake stops after the first flight.
/// </summary>
internal static class ClientHelloCapture
{
    public static byte[] Capture(string targetHost, SslProtocols protocols, params string[] alpn) =>
        CaptureAsync(targetHost, protocols, alpn).GetAwaiter().GetResult();

    public static async Task<byte[]> CaptureAsync(string targetHost, SslProtocols protocols, params string[] alpn)
    {
        using var transport = new RecordingStream();
        using var tls = new SslStream(transport);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = protocols,
            ApplicationProtocols = alpn.Length == 0 ? null : alpn.Select(p => new SslApplicationProtocol(p)).ToList(),
        };

        try
        {
            await tls.AuthenticateAsClientAsync(options).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            // Expected: the "server" hung up after the ClientHello.
        }

        return transport.Written;
    }

    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _written = new();

        public byte[] Written => _written.ToArray();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _written.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
