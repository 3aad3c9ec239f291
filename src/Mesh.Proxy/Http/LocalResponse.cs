using System.Globalization;
using System.Text;

namespace Mesh.Proxy.Http;

/// <summary>Responses the proxy writes itself: 404 for a request no rule allows, 4xx/501 for a request it will not forward, 502.</summary>
internal static class LocalResponse
{
    public static byte[] Create(int status, string reason, string body, bool close, bool headRequest)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n")
            .Append("content-type: text/plain; charset=utf-8\r\n")
            .Append(CultureInfo.InvariantCulture, $"content-length: {Encoding.UTF8.GetByteCount(body)}\r\n")
            .Append("server: mesh\r\n");
        if (close) head.Append("connection: close\r\n");
        head.Append("\r\n");
        if (!headRequest) head.Append(body);
        return Encoding.UTF8.GetBytes(head.ToString());
    }

    public static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };
}
