using System.Buffers;
using Mesh.Protocols.Tests.Support;
using Mesh.Protocols.Tls;

namespace Mesh.Protocols.Tests.Tls;

public class SniReaderTests
{
    private static SniReadStatus Read(ReadOnlySequence<byte> buffer, out ClientHelloInfo hello, out long consumed, int max = SniReader.DefaultMaxHandshakeLength)
    {
        SniReadStatus status = SniReader.TryRead(buffer, out hello, out SequencePosition position, max);
        consumed = buffer.Slice(0, position).Length;
        return status;
    }

    private static SniReadStatus Read(byte[] data, out ClientHelloInfo hello, out long consumed) =>
        Read(new ReadOnlySequence<byte>(data), out hello, out consumed);

    private static SniReadStatus Read(byte[] data) => Read(data, out _, out _);

    [Fact]
    public void Real_tls13_hello_yields_lower_cased_sni_alpn_and_version()
    {
        byte[] hello = ClientHellos.Tls13;

        SniReadStatus status = Read(hello, out ClientHelloInfo info, out long consumed);

        Assert.Equal(SniReadStatus.Success, status);
        Assert.Equal("api.example.com", info.ServerName);
        Assert.Equal(["h2", "http/1.1"], info.ApplicationProtocols);
        Assert.True(info.OffersTls13);
        Assert.Equal(hello.Length, consumed);
    }

    [Fact]
    public void Real_tls12_hello_yields_sni_without_alpn()
    {
        SniReadStatus status = Read(ClientHellos.Tls12, out ClientHelloInfo info, out long consumed);

        Assert.Equal(SniReadStatus.Success, status);
        Assert.Equal("legacy.example.org", info.ServerName);
        Assert.Empty(info.ApplicationProtocols);
        Assert.False(info.OffersTls13);
        Assert.Equal(ClientHellos.Tls12.Length, consumed);
    }

    [Fact]
    public void Real_hello_to_an_ip_address_has_no_sni()
    {
        SniReadStatus status = Read(ClientHellos.NoSni, out ClientHelloInfo info, out long consumed);

        Assert.Equal(SniReadStatus.NoServerName, status);
        Assert.Null(info.ServerName);
        Assert.Equal(ClientHellos.NoSni.Length, consumed);
    }

    [Fact]
    public void Every_strict_prefix_of_a_real_hello_needs_more_data()
    {
        foreach (byte[] hello in ClientHellos.All)
        {
            for (int length = 0; length < hello.Length; length++)
            {
                Assert.Equal(SniReadStatus.NeedMoreData, Read(hello[..length], out _, out long consumed));
                Assert.Equal(0, consumed);
            }
        }
    }

    [Fact]
    public void Splitting_a_real_hello_into_two_segments_at_every_offset_changes_nothing()
    {
        foreach (byte[] hello in ClientHellos.All)
        {
            SniReadStatus expected = Read(hello, out ClientHelloInfo expectedInfo, out _);
            for (int cut = 1; cut < hello.Length; cut++)
            {
                SniReadStatus status = Read(Segments.Split(hello, cut), out ClientHelloInfo info, out long consumed);
                Assert.Equal(expected, status);
                Assert.Equal(expectedInfo.ServerName, info.ServerName);
                Assert.Equal(expectedInfo.ApplicationProtocols, info.ApplicationProtocols);
                Assert.Equal(hello.Length, consumed);
            }
        }
    }

    [Fact]
    public void A_real_hello_delivered_one_byte_per_segment_is_read()
    {
        SniReadStatus status = Read(Segments.SingleBytes(ClientHellos.Tls13), out ClientHelloInfo info, out long consumed);

        Assert.Equal(SniReadStatus.Success, status);
        Assert.Equal("api.example.com", info.ServerName);
        Assert.Equal(ClientHellos.Tls13.Length, consumed);
    }

    [Fact]
    public void A_real_hello_fragmented_into_two_records_at_every_offset_is_read()
    {
        byte[] message = TlsRecords.HandshakeMessage(ClientHellos.Tls13);
        for (int cut = 1; cut < message.Length; cut++)
        {
            byte[] records = TlsRecords.Fragment(message, cut);

            SniReadStatus status = Read(records, out ClientHelloInfo info, out long consumed);

            Assert.Equal(SniReadStatus.Success, status);
            Assert.Equal("api.example.com", info.ServerName);
            Assert.Equal(["h2", "http/1.1"], info.ApplicationProtocols);
            Assert.Equal(records.Length, consumed);
        }
    }

    [Fact]
    public void A_real_hello_in_one_byte_records_across_one_byte_segments_is_read()
    {
        byte[] message = TlsRecords.HandshakeMessage(ClientHellos.Tls12);
        byte[] records = TlsRecords.Fragment(message, Enumerable.Repeat(1, message.Length).ToArray());

        Assert.Equal(SniReadStatus.Success, Read(Segments.SingleBytes(records), out ClientHelloInfo info, out long consumed));
        Assert.Equal("legacy.example.org", info.ServerName);
        Assert.Equal(records.Length, consumed);
        Assert.Equal(SniReadStatus.NeedMoreData, Read(records[..^1]));
    }

    [Fact]
    public void Bytes_after_the_hello_are_not_consumed()
    {
        byte[] hello = ClientHellos.Tls13;
        byte[] followed = [.. hello, 0x17, 0x03, 0x03, 0x00, 0x01, 0xAA];

        Assert.Equal(SniReadStatus.Success, Read(followed, out _, out long consumed));
        Assert.Equal(hello.Length, consumed);
    }

    [Fact]
    public async Task Server_name_is_found_in_a_hello_that_crosses_tcp_segments_on_a_loopback_socket()
    {
        // End to end: a real client, a real socket; the reader is fed whatever each receive returns.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect(System.Net.IPAddress.Loopback, port);
        using var tls = new System.Net.Security.SslStream(client.GetStream());
        Task handshake = tls.AuthenticateAsClientAsync("socket.example.net");
        using System.Net.Sockets.Socket server = listener.AcceptSocket();
        server.ReceiveTimeout = 10_000;

        var received = new List<byte[]>();
        SniReadStatus status = SniReadStatus.NeedMoreData;
        ClientHelloInfo info = default;
        while (status == SniReadStatus.NeedMoreData)
        {
            byte[] chunk = new byte[100]; // Small receives force a multi-segment buffer.
            int n = server.Receive(chunk);
            Assert.True(n > 0, "client closed before its hello was complete");
            received.Add(chunk[..n]);
            status = SniReader.TryRead(Segments.FromPieces(received), out info, out _);
        }

        server.Close();
        Assert.Equal(SniReadStatus.Success, status);
        Assert.Equal("socket.example.net", info.ServerName);
        Assert.True(received.Count > 1);
        Assert.NotNull(await Record.ExceptionAsync(() => handshake.WaitAsync(TimeSpan.FromSeconds(10)))); // Server hung up.
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("WWW.Example.Com", "www.example.com")]
    [InlineData("a", "a")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("123.example.com", "123.example.com")]
    [InlineData("a-b.c-d.e", "a-b.c-d.e")]
    [InlineData("1.2.3.example", "1.2.3.example")]
    public void Valid_host_names_are_returned_lower_cased(string sent, string expected)
    {
        byte[] records = TlsRecords.Records(TlsRecords.ClientHello(TlsRecords.ServerName(sent)));

        Assert.Equal(SniReadStatus.Success, Read(records, out ClientHelloInfo info, out _));
        Assert.Equal(expected, info.ServerName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com.")]
    [InlineData(".example.com")]
    [InlineData("a..b")]
    [InlineData("exa_mple.com")]
    [InlineData("-a.com")]
    [InlineData("a-.com")]
    [InlineData("ex ample.com")]
    [InlineData("exa\u00e4mple.com")]
    [InlineData("1.2.3.4")]
    [InlineData("example.123")]
    [InlineData("[::1]")]
    [InlineData("example.com:443")]
    [InlineData("a\0.com")]
    public void Invalid_host_names_are_reported_as_invalid_sni(string sent)
    {
        byte[] records = TlsRecords.Records(TlsRecords.ClientHello(TlsRecords.ServerName(sent)));

        Assert.Equal(SniReadStatus.InvalidServerName, Read(records, out ClientHelloInfo info, out long consumed));
        Assert.Null(info.ServerName);
        Assert.Equal(records.Length, consumed);
    }

    [Fact]
    public void Host_name_length_limits_are_enforced()
    {
        string label63 = new('a', 63);
        string name253 = string.Join('.', label63, label63, label63, new string('b', 61));
        Assert.Equal(253, name253.Length);

        Assert.Equal(SniReadStatus.Success, Read(TlsRecords.Records(TlsRecords.ClientHello(TlsRecords.ServerName(name253)))));
        Assert.Equal(SniReadStatus.InvalidServerName, Read(TlsRecords.Records(TlsRecords.ClientHello(TlsRecords.ServerName(name253 + "b")))));
        Assert.Equal(SniReadStatus.InvalidServerName, Read(TlsRecords.Records(TlsRecords.ClientHello(TlsRecords.ServerName(label63 + "a.com")))));
    }

    [Fact]
    public void Two_host_names_are_invalid_sni()
    {
        byte[] records = TlsRecords.Records(TlsRecords.ClientHello(TlsRecords.ServerName("a.example", "b.example")));

        Assert.Equal(SniReadStatus.InvalidServerName, Read(records));
    }

    [Fact]
    public void A_hello_without_extensions_has_no_sni()
    {
        Assert.Equal(SniReadStatus.NoServerName, Read(TlsRecords.Records(TlsRecords.ClientHelloWithoutExtensions())));
    }

    [Fact]
    public void A_hello_with_other_extensions_only_has_no_sni_but_reports_alpn_and_versions()
    {
        byte[] records = TlsRecords.Records(TlsRecords.ClientHello(
            TlsRecords.Extension(0x0A0A, []), TlsRecords.Alpn("h2", "\u0001\u0002", "x"), TlsRecords.SupportedVersions(0x0304, 0x0303)));

        Assert.Equal(SniReadStatus.NoServerName, Read(records, out ClientHelloInfo info, out _));
        Assert.Equal(["h2", "x"], info.ApplicationProtocols);
        Assert.True(info.OffersTls13);
    }

    public static TheoryData<string, byte[]> MalformedHellos() => new()
    {
        { "duplicate extension", TlsRecords.ClientHello(TlsRecords.ServerName("a.example"), TlsRecords.ServerName("a.example")) },
        { "duplicate alpn", TlsRecords.ClientHello(TlsRecords.Alpn("h2"), TlsRecords.Alpn("h2")) },
        { "empty alpn name", TlsRecords.ClientHello(TlsRecords.Alpn("h2", "")) },
        { "empty alpn list", TlsRecords.ClientHello(TlsRecords.Extension(16, [0, 0])) },
        { "odd supported_versions", TlsRecords.ClientHello(TlsRecords.Extension(43, [3, 3, 4, 3])) },
        { "server_name list overruns", TlsRecords.ClientHello(TlsRecords.Extension(0, [0, 9, 0, 0, 1, (byte)'a'])) },
        { "server_name trailing byte", TlsRecords.ClientHello(TlsRecords.Extension(0, [0, 4, 0, 0, 1, (byte)'a', 0])) },
        { "extension overruns", TlsRecords.Handshake([.. TlsRecords.HelloBody(null), 0, 4, 0, 0, 0, 9]) },
        { "byte after extensions", TlsRecords.Handshake([.. TlsRecords.HelloBody([]), 0]) },
        { "odd cipher suites", TlsRecords.Handshake([3, 3, .. new byte[32], 0, 0, 3, 1, 2, 3, 1, 0]) },
        { "no cipher suites", TlsRecords.Handshake([3, 3, .. new byte[32], 0, 0, 0, 1, 0]) },
        { "no compression", TlsRecords.Handshake([3, 3, .. new byte[32], 0, 0, 2, 0x13, 1, 0]) },
        { "session id too long", TlsRecords.Handshake([3, 3, .. new byte[32], 33, .. new byte[33], 0, 2, 0x13, 1, 1, 0]) },
        { "legacy version 2", TlsRecords.Handshake([2, 0, .. TlsRecords.HelloBody(null)[2..]]) },
        { "empty body", TlsRecords.Handshake([]) },
        { "truncated random", TlsRecords.Handshake([3, 3, 1, 2, 3]) },
    };

    [Theory]
    [MemberData(nameof(MalformedHellos))]
    public void Malformed_hellos_are_reported_as_malformed(string why, byte[] message)
    {
        Assert.True(Read(TlsRecords.Records(message), out _, out long consumed) == SniReadStatus.Malformed, why);
        Assert.Equal(0, consumed);
    }

    public static TheoryData<string, byte[]> NotTls() => new()
    {
        { "SSLv2 compatible hello", [0x80, 0x2E, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10] },
        { "http", Bytes.Of("GET / HTTP/1.1\r\n") },
        { "alert record", [21, 3, 3, 0, 2, 2, 40] },
        { "application data record", [23, 3, 3, 0, 1, 0] },
        { "record version 2.0", [22, 2, 0, 0, 4, 1, 0, 0, 0] },
        { "record version 3.5", [22, 3, 5, 0, 4, 1, 0, 0, 0] },
        { "zero-length record", [22, 3, 1, 0, 0] },
        { "record over 2^14", [22, 3, 1, 0x40, 0x01, 1] },
        { "server hello", [22, 3, 3, 0, 4, 2, 0, 0, 0] },
        { "just the first byte wrong", [0x15] },
    };

    [Theory]
    [MemberData(nameof(NotTls))]
    public void Other_protocols_are_not_tls(string why, byte[] data)
    {
        Assert.True(Read(data) == SniReadStatus.NotTls, why);
    }

    [Fact]
    public void A_different_record_type_inside_the_hello_is_malformed()
    {
        byte[] message = TlsRecords.HandshakeMessage(ClientHellos.Tls12);
        byte[] records = TlsRecords.Fragment(message, 10);
        records[5 + 10] = 23; // Second record claims to be application data.

        Assert.Equal(SniReadStatus.Malformed, Read(records));
        Assert.Equal(SniReadStatus.Malformed, Read(records[..16]));
    }

    [Fact]
    public void Extra_bytes_in_the_hellos_last_record_are_malformed()
    {
        byte[] message = [.. TlsRecords.HandshakeMessage(ClientHellos.Tls12), 1, 0, 0, 0];

        Assert.Equal(SniReadStatus.Malformed, Read(TlsRecords.Records(message)));
    }

    [Fact]
    public void A_hello_longer_than_the_limit_is_refused_as_soon_as_its_length_is_known()
    {
        byte[] header = [22, 3, 1, 0x40, 0x00, 1, 0x00, 0x40, 0x00]; // Handshake body of 16 KiB: 4 bytes too many.

        Assert.Equal(SniReadStatus.TooLarge, Read(header));
        Assert.Equal(SniReadStatus.NeedMoreData, Read(header[..8]));
    }

    [Fact]
    public void The_limit_is_configurable()
    {
        byte[] hello = ClientHellos.Tls13;
        int messageLength = TlsRecords.HandshakeMessage(hello).Length;
        var buffer = new ReadOnlySequence<byte>(hello);

        Assert.Equal(SniReadStatus.Success, Read(buffer, out _, out _, max: messageLength));
        Assert.Equal(SniReadStatus.TooLarge, Read(buffer, out _, out _, max: messageLength - 1));
    }

    [Fact]
    public void A_hello_of_exactly_the_default_limit_split_over_records_is_read()
    {
        int withoutPadding = TlsRecords.ClientHello(TlsRecords.ServerName("big.example"), TlsRecords.Extension(21, [])).Length;
        byte[] padding = new byte[SniReader.DefaultMaxHandshakeLength - withoutPadding];
        byte[] message = TlsRecords.ClientHello(TlsRecords.ServerName("big.example"), TlsRecords.Extension(21, padding));
        Assert.Equal(SniReader.DefaultMaxHandshakeLength, message.Length);

        byte[] records = TlsRecords.Fragment(message, 9000);

        Assert.Equal(SniReadStatus.Success, Read(records, out ClientHelloInfo info, out _));
        Assert.Equal("big.example", info.ServerName);
    }

    [Fact]
    public void Empty_input_needs_more_data()
    {
        Assert.Equal(SniReadStatus.NeedMoreData, Read([]));
    }
}
