using System.Security.Authentication;
using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>TLS is decided by the ClientHello's SNI against https rule hosts, and then passed through untouched.</summary>
public sealed class TlsTests
{
    private const string Name = "secure.example";

    [Fact]
    public async Task An_https_rule_for_the_sni_lets_the_handshake_and_data_through_end_to_end()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = new TlsOrigin(Name);
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(Egress("secure", "curl/curl", origin.Port, "https", [Name]));

        var socket = await proxy.ConnectAsync(origin.Endpoint, ct);
        await using (var ssl = await origin.AuthenticateClientAsync(socket, Name, ct))
        {
            // The client validated the origin's own certificate: the proxy did not terminate TLS.
            Assert.Equal(origin.Certificate.GetCertHashString(), ssl.RemoteCertificate!.GetCertHashString());
            for (var i = 0; i < 3; i++)
            {
                var message = System.Text.Encoding.ASCII.GetBytes($"secret {i} " + new string('s', 2000 * i));
                await ssl.WriteAsync(message, ct);
                var echo = new byte[message.Length];
                await ssl.ReadExactlyAsync(echo, ct);
                Assert.Equal(message, echo);
            }
        }
        Assert.Equal(1, origin.Handshakes);
        Assert.Contains($"reason=\"TlsHostRule\",rule=\"Egress curl/secure port {origin.Port}/https\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other.example")]
    [InlineData("secure.example.evil")]
    [InlineData("sub.secure.example")]
    public async Task A_hello_for_another_name_is_reset_and_the_origin_never_sees_a_connection(string sni)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = new TlsOrigin(Name);
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(Egress("secure", "curl/curl", origin.Port, "https", [Name]));

        var socket = await proxy.ConnectAsync(origin.Endpoint, ct);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => origin.AuthenticateClientAsync(socket, sni, ct));
        Assert.True(error is IOException or AuthenticationException, $"expected the handshake to fail on a reset, got {error}");
        Assert.False(ct.IsCancellationRequested, "the handshake hung instead of being reset");

        await Barriers.AssertOnlyProbeAcceptedAsync(origin, Name, ct);
        Assert.Contains("verdict=\"Deny\",reason=\"NoMatchingRule\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }
}
