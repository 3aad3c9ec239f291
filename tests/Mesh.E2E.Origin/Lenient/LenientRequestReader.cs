namespace Mesh.E2E.Origin.Lenient;

/// <summary>
/// Reads request heads the way the most forgiving servers do (RFC 9112 allows most of it as a MAY): any number of
/// empty lines (CRLF or bare LF) before the request line, any whitespace run (SP, HTAB, VT, FF, bare CR) between its
/// parts, a missing version read as HTTP/0.9, bare-LF line ends, obs-fold continuation lines joined, whitespace
/// before a field's colon ignored. Never rejects what it can make sense of: a proxy that lets any of it through
/// unexamined is caught by the log.
/// </summary>
internal static class LenientRequestReader
{
    private const int MaxLine = 64 * 1024;
    private const int MaxFields = 256;

    public sealed record Outcome(LenientRequest? Request, int SkippedEmptyLines, byte[]? Unparsed);

    /// <summary>Null request and null unparsed: the client closed between requests.</summary>
    public static async Task<Outcome> ReadAsync(ConnectionInput input, CancellationToken ct)
    {
        var skipped = 0;
        while (await input.PeekAsync(ct) is '\r' or '\n')
        {
            input.Skip(1);
            skipped++;
        }
        var (line, truncated) = await input.ReadLineAsync(MaxLine, stopAtControl: true, ct);
        if (line is null) return new(null, skipped, skipped > 0 ? "\r\n"u8.ToArray() : null);
        if (truncated) return new(null, skipped, line);
        var parts = LenientRequest.Text(line).Split([' ', '\t', '\v', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) return new(null, skipped, line);
        var method = parts[0];
        if (!IsToken(method)) return new(null, skipped, line); // every server we know of wants a token here
        var version = parts.Length >= 3 ? parts[^1] : "";
        var target = parts.Length >= 3 ? string.Join(' ', parts[1..^1]) : parts[1];
        if (version.Length > 0 && !version.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase))
        {
            // "GET /a b" without a version: HTTP/0.9 with a space in the target.
            target = string.Join(' ', parts[1..]);
            version = "";
        }

        var headers = new List<(string Name, string Value)>();
        if (version.Length > 0)
        {
            while (true)
            {
                var (field, fieldTruncated) = await input.ReadLineAsync(MaxLine, stopAtControl: false, ct);
                if (field is null || fieldTruncated) return new(null, skipped, line);
                if (field.Length == 0) break;
                var text = LenientRequest.Text(field);
                if (text[0] is ' ' or '\t' && headers.Count > 0)
                {
                    var (name, value) = headers[^1];
                    headers[^1] = (name, $"{value} {text.Trim(' ', '\t')}");
                    continue;
                }
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) continue; // a line that is no field: skipped, as some servers do
                headers.Add((text[..colon].Trim(' ', '\t'), text[(colon + 1)..]));
                if (headers.Count > MaxFields) return new(null, skipped, line);
            }
        }
        return new(new LenientRequest(method, target, version, headers), skipped, null);
    }

    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => c < 0x7F && (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)));
}
