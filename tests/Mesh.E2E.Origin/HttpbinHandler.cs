using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Mesh.E2E.Origin;

/// <summary>
/// A small httpbin: "/" and "/get" answer 200, "/status/{code}" answers that code, anything else is 404.
/// Every answer carries <see cref="OriginHeader"/>, so a test tells the origin's 404 from the proxy's 404.
/// </summary>
internal sealed class HttpbinHandler(OriginLog log, string listener)
{
    public const string OriginHeader = "X-Mesh-E2E-Origin";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var (status, contentType, body) = Answer(context, path);
        log.Write(new OriginLogEntry(
            "request", listener, Endpoint(context.Connection.RemoteIpAddress, context.Connection.RemotePort),
            Endpoint(context.Connection.LocalIpAddress, context.Connection.LocalPort),
            Sni: context.Features.Get<ITlsHandshakeFeature>()?.HostName, Host: request.Host.Value,
            Method: request.Method, Path: path, Protocol: request.Protocol, Status: status));

        var response = context.Response;
        response.StatusCode = status;
        response.Headers[OriginHeader] = "origin";
        if (status is 204 or 304 || body.Length == 0)
        {
            return;
        }

        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static (int Status, string ContentType, byte[] Body) Answer(HttpContext context, string path)
    {
        if (path == "/")
        {
            return (200, "text/html; charset=utf-8", "<html><body>mesh e2e origin</body></html>"u8.ToArray());
        }

        if (path == "/get")
        {
            return (200, "application/json", EchoJson(context));
        }

        const string statusPrefix = "/status/";
        if (path.StartsWith(statusPrefix, StringComparison.Ordinal)
            && int.TryParse(path.AsSpan(statusPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && code is >= 200 and <= 599)
        {
            return (code, "text/plain", []);
        }

        return (404, "text/plain", Encoding.UTF8.GetBytes($"404 from the ORIGIN (not the proxy): no such path {path}\n"));
    }

    /// <summary>Like httpbin's /get: the request's headers, as the origin saw them.</summary>
    private static byte[] EchoJson(HttpContext context)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("headers");
            foreach (var header in context.Request.Headers)
            {
                json.WriteString(header.Key, header.Value.ToString());
            }

            json.WriteEndObject();
            json.WriteString("host", context.Request.Host.Value);
            json.WriteString("origin", context.Connection.RemoteIpAddress?.ToString());
            json.WriteString("url", $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>"ip:port", "[ipv6]:port"; an IPv4-mapped address as the IPv4 it is.</summary>
    internal static string? Endpoint(System.Net.IPAddress? address, int port) =>
        address is null ? null : new System.Net.IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port).ToString();
}
