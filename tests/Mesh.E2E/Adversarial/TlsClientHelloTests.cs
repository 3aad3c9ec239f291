using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// TLS is decided by the ClientHello's server name (egress-semantics step 3); the policy allows httpbin.org on 443.
/// A hello cut across TCP segments or TLS records is still read whole, and any server name that is not exactly one
/// valid name the rules allow (none, several, another, malformed) is reset before the origin sees a connection.
/// The origin here is the world's Kestrel HTTPS listener, which logs every connection before TLS.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class TlsClientHelloTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;

    [Theory(Timeout = Limit)]
    [InlineData(16 * 1024, 40, 20)] // one record, in TCP segments of 40 bytes
    [InlineData(64, 16 * 1024, 0)] // records of 64 bytes, in one segment
    [InlineData(16, 50, 10)] // records of 16 bytes, in segments that cut through record headers
    [InlineData(16 * 1024, 1, 1)] // one byte per segment
    public async Task An_allowed_hello_cut_across_segments_and_records_still_completes_the_handshake(int recordSize, int segmentSize, int pauseMs)
    {
        await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = world.OriginLog.Mark();
        using var socket = await PodSocketAsync(WorldAddresses.HttpbinOrg, 443);
        await using var tls = new SslStream(new SplittingStream(new NetworkStream(socket, ownsSocket: false), recordSize, segmentSize,
            TimeSpan.FromMilliseconds(pauseMs)), leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(TimeBounds.Answer * 2);
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(world.CaCertificatePath, deadline.Token));
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.Add(ca);

        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "httpbin.org",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateChainPolicy = trust, // the origin's certificate for httpbin.org, issued by this run's CA
        }, deadline.Token);
        await tls.WriteAsync("GET /get HTTP/1.1\r\nHost: httpbin.org\r\nConnection: close\r\n\r\n"u8.ToArray(), deadline.Token);
        var response = Encoding.ASCII.GetString(await ReadToEndAsync(tls, deadline.Token));

        // The certificate validated for httpbin.org (TargetHost), so the hello reached httpbin.org's origin. That origin
        // (SslStream) reads SNI from the first record only, so it logs one only when the hello fits in a record.
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var seen = world.OriginLog.Since(mark);
        var sni = recordSize >= 16 * 1024 ? "httpbin.org" : null;
        Assert.True(seen.Any(e => e is { Event: "request", Host: "httpbin.org", Path: "/get" } && (e.Sni ?? "") == (sni ?? "") && e.Local == $"{WorldAddresses.HttpbinOrg}:443"),
            world.OriginLog.Describe(mark));
    }

    public static TheoryData<string, string[], int, int> Refused() => new()
    {
        { "another name", ["openservicemesh.io"], 16 * 1024, 16 * 1024 },
        { "another name, records of 8 bytes", ["openservicemesh.io"], 8, 16 * 1024 },
        { "another name, segments of 3 bytes", ["openservicemesh.io"], 16 * 1024, 3 },
        { "no name", [], 16 * 1024, 16 * 1024 },
        { "two names, allowed first", ["httpbin.org", "openservicemesh.io"], 16 * 1024, 16 * 1024 },
        { "two names, allowed second", ["openservicemesh.io", "httpbin.org"], 16 * 1024, 16 * 1024 },
        { "the allowed name twice", ["httpbin.org", "httpbin.org"], 16 * 1024, 16 * 1024 },
        { "a trailing dot", ["httpbin.org."], 16 * 1024, 16 * 1024 },
        { "a NUL inside", ["httpbin.org\0.openservicemesh.io"], 16 * 1024, 16 * 1024 },
        { "the allowed name as a suffix", ["evilhttpbin.org"], 16 * 1024, 16 * 1024 },
        { "the allowed name as a prefix", ["httpbin.org.openservicemesh.io"], 16 * 1024, 16 * 1024 },
        { "an IP address", [WorldAddresses.HttpbinOrg], 16 * 1024, 16 * 1024 },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Refused))]
    public async Task A_hello_without_exactly_one_allowed_name_is_reset_before_any_upstream_connection(string name, string[] serverNames, int recordSize, int segmentSize)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = world.OriginLog.Mark();
        using var connection = await adversary.ConnectAsync(443);

        var hello = TlsHellos.Records(TlsHellos.Message(serverNames), recordSize);
        foreach (var segment in hello.Chunk(segmentSize)) await connection.SendAsync(segment);
        var ending = await connection.EndingAsync();

        Assert.True(ending == Ending.Reset, $"{name}: expected a reset, got {ending}");
        await Task.Delay(TimeBounds.Quiet);
        Assert.True(world.OriginLog.Since(mark).Count == 0, $"{name}: {world.OriginLog.Describe(mark)}");
    }

    [Fact(Timeout = Limit)]
    public async Task The_allowed_name_in_upper_case_is_the_same_name()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = world.OriginLog.Mark();
        using var connection = await adversary.ConnectAsync(443);

        await connection.SendAsync(TlsHellos.Records(TlsHellos.Message("HTTPBIN.ORG")));
        var answer = await connection.ReadAvailableAsync(TimeBounds.Quiet);

        Assert.True(answer.Length > 0 && answer[0] == 0x16, "expected the origin's ServerHello through the proxy");
        Assert.Contains(world.OriginLog.Since(mark), e => e is { Event: "connection", Listener: "https" } && e.Local == $"{WorldAddresses.HttpbinOrg}:443");
    }

    [Fact(Timeout = Limit)]
    public async Task Bytes_riding_in_the_hellos_last_record_make_it_no_hello_to_route_by()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = world.OriginLog.Mark();
        using var connection = await adversary.ConnectAsync(443);

        var message = TlsHellos.Message("httpbin.org");
        await connection.SendAsync(TlsHellos.Records([.. message, .. "GET /admin HTTP/1.1\r\n\r\n"u8.ToArray()]));

        Assert.Equal(Ending.Reset, await connection.EndingAsync());
        await Task.Delay(TimeBounds.Quiet);
        Assert.True(world.OriginLog.Since(mark).Count == 0, world.OriginLog.Describe(mark));
    }

    private async Task<Socket> PodSocketAsync(string address, int port)
    {
        using var deadline = new CancellationTokenSource(TimeBounds.Answer);
        return await PodSockets.ConnectAsync(world.Names.PodNamespace, new IPEndPoint(IPAddress.Parse(address), port), deadline.Token);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream, CancellationToken ct)
    {
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, ct);
        return all.ToArray();
    }
}
