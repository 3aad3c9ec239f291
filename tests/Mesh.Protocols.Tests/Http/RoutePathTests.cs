using System.Text;
using Mesh.Protocols.Http;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Http;

/// <summary>The readings of a request path that routes are matched on, and the paths too ambiguous to match at all.</summary>
public class RoutePathTests
{
    private static (bool Ok, string Decoded, string Plain) Read(string path)
    {
        byte[] raw = Bytes.Of(path);
        var decoded = new byte[raw.Length];
        var plain = new byte[raw.Length];
        bool ok = RoutePath.TryRead(raw, decoded, out int decodedLength, plain, out int plainLength);
        return (ok, Encoding.UTF8.GetString(decoded, 0, decodedLength), Encoding.UTF8.GetString(plain, 0, plainLength));
    }

    [Theory]
    [InlineData("/get", "/get", "/get")]
    [InlineData("/", "/", "/")]
    [InlineData("*", "*", "*")]
    [InlineData("/g%65t", "/get", "/get")]
    [InlineData("/anything/%41%42", "/anything/AB", "/anything/AB")]
    [InlineData("/a%3Fb", "/a?b", "/a?b")]
    [InlineData("/admin;.png", "/admin;.png", "/admin")]
    [InlineData("/a;x=1/b;y", "/a;x=1/b;y", "/a/b")]
    [InlineData("//status/418", "//status/418", "/status/418")]
    [InlineData("/a//b///c/", "/a//b///c/", "/a/b/c/")]
    [InlineData("/caf%C3%A9", "/caf\u00e9", "/caf\u00e9")]
    [InlineData("/100%25-sure", "/100%-sure", "/100%-sure")]
    [InlineData("/.well-known/x", "/.well-known/x", "/.well-known/x")]
    [InlineData("/a/...", "/a/...", "/a/...")]
    [InlineData("/a..b/c.", "/a..b/c.", "/a..b/c.")]
    public void Readings(string path, string decoded, string plain)
    {
        Assert.Equal((true, decoded, plain), Read(path));
    }

    [Theory]
    [InlineData("/anything/../status/418")]
    [InlineData("/anything/./x")]
    [InlineData("/anything/..")]
    [InlineData("/anything/.")]
    [InlineData("/anything/%2e%2e/status/418")]
    [InlineData("/anything/%2E%2E/status/418")]
    [InlineData("/anything/.%2e/status/418")]
    [InlineData("/anything/%2e/x")]
    [InlineData("/anything/..;/status/418")]
    [InlineData("/anything/.;x=1/status")]
    [InlineData("/anything/..%3B/status/418")]
    [InlineData("/anything/..%2fstatus/418")]
    [InlineData("/anything%2F..%2Fstatus")]
    [InlineData("/anything\\..\\status")]
    [InlineData("/anything/%5c../status")]
    [InlineData("/get%00")]
    [InlineData("/get%0d%0aX: y")]
    [InlineData("/get%7f")]
    [InlineData("/get%")]
    [InlineData("/get%4")]
    [InlineData("/get%zz")]
    [InlineData("/anything/%252e%252e/status")]
    [InlineData("/anything/%c0%ae%c0%ae/status")]
    [InlineData("/anything/%e0%80%ae/status")]
    [InlineData("/%ff")]
    public void Ambiguous_paths_have_no_reading(string path)
    {
        Assert.False(Read(path).Ok, path);
    }
}
