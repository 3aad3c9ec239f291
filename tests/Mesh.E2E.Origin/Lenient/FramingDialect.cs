using System.Globalization;

namespace Mesh.E2E.Origin.Lenient;

/// <summary>
/// How an origin finds a request body's end. Both prefer Transfer-Encoding over Content-Length (RFC 9112 §6.3).
/// They disagree on purpose where servers do, so a proxy that forwards ambiguous framing is caught by one of them:
/// <see cref="Lenient"/> reads chunked wherever "chunked" appears in any Transfer-Encoding-like field (any case, with
/// '_' for '-', after obs-fold), takes the leading digits of the first Content-Length, and first drops every field a
/// Connection option names (as a proxy in front of the application would); <see cref="Literal"/> reads
/// chunked only for a first Transfer-Encoding value that is exactly "chunked", and otherwise ignores the field.
/// </summary>
internal enum FramingDialect
{
    Lenient,
    Literal,
}

internal static class Framing
{
    public abstract record Body;

    public sealed record None : Body;

    public sealed record Chunked : Body;

    public sealed record Length(long Bytes) : Body;

    /// <summary>Framing the dialect cannot read at all (the origin answers 400 and closes).</summary>
    public sealed record Invalid(string Why) : Body;

    public static Body Of(LenientRequest request, FramingDialect dialect)
    {
        var lenient = dialect == FramingDialect.Lenient;
        if (lenient)
        {
            // As a proxy between here and the application would (RFC 9110 §7.6.1): fields named by Connection are gone.
            var dropped = request.Values("Connection").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            request = request with { Headers = [.. request.Headers.Where(h => !dropped.Contains(h.Name.Trim()))] };
        }
        var codings = request.Values("Transfer-Encoding", lenient).ToList();
        if (lenient ? codings.Any(c => c.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    : codings.Count > 0 && codings[0].TrimStart(' ') == "chunked")
        {
            return new Chunked();
        }
        if (request.First("Content-Length", lenient) is not { } length) return new None();
        if (lenient)
        {
            var digits = new string(length.Trim(' ', '\t', '+').TakeWhile(char.IsAsciiDigit).ToArray());
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? new Length(n) : new Invalid($"Content-Length {length}");
        }
        return long.TryParse(length.Trim(' '), NumberStyles.None, CultureInfo.InvariantCulture, out var exact)
            ? new Length(exact)
            : new Invalid($"Content-Length {length}");
    }

    /// <summary>Reads a chunked body leniently: hex digits up to the first other byte, anything after them ignored.</summary>
    public static async Task<long> ReadChunkedAsync(ConnectionInput input, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            var (line, _) = await input.ReadLineAsync(64 * 1024, stopAtControl: false, ct);
            if (line is null) return total;
            var text = LenientRequest.Text(line).Trim(' ', '\t');
            var hex = new string(text.TakeWhile(Uri.IsHexDigit).ToArray());
            if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                // Last chunk (or an unreadable size, read as the end): trailer lines up to an empty one.
                while ((await input.ReadLineAsync(64 * 1024, false, ct)).Line is { Length: > 0 })
                {
                }
                return total;
            }
            total += (await input.ReadExactAsync((int)Math.Min(size, int.MaxValue), ct)).Length;
            await input.ReadLineAsync(64 * 1024, false, ct); // the CRLF after the data
        }
    }
}
