namespace Mesh.Policy.Decisions;

/// <summary>Host header handling shared by the decision and the proxy.</summary>
public static class HostName
{
    /// <summary>
    /// Splits <c>name[:port]</c>. A port, when present, must equal the destination port, else the host matches
    /// nothing (a request for <c>httpbin.org:8080</c> arriving on port 80 is not a request for port 80's rule).
    /// </summary>
    /// <summary>
    /// Splits <c>name[:port]</c>; false for an empty host or an IPv6 literal (never a rule host). <paramref name="port"/>
    /// is null when none is given (or when it is not a number, which the parser never lets through).
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<char> host, out ReadOnlySpan<char> name, out int? port)
    {
        name = host;
        port = null;
        if (host.IsEmpty || host[0] == '[') return false;
        var colon = host.LastIndexOf(':');
        if (colon < 0) return true;
        name = host[..colon];
        if (int.TryParse(host[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            port = parsed;
        }
        return true;
    }

    public static bool TryStripPort(ReadOnlySpan<char> host, int destinationPort, out ReadOnlySpan<char> name)
    {
        name = host;
        if (host.IsEmpty || host[0] == '[') return false; // IPv6 literals never match a host rule
        var colon = host.LastIndexOf(':');
        if (colon < 0) return true;
        name = host[..colon];
        return int.TryParse(host[(colon + 1)..], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var port) && port == destinationPort;
    }
}
