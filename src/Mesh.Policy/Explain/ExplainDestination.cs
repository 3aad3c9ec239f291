using System.Globalization;
using Mesh.Policy.Model;

namespace Mesh.Policy.Explain;

/// <summary>
/// Where the explained connection goes: a host name and/or an address, and a port. The proxy only ever knows the
/// address; a host name alone leaves rules limited to address ranges unchecked.
/// </summary>
public sealed record ExplainDestination(string? Host, NetAddress? Address, int Port)
{
    /// <summary>Parses <c>HOST:PORT</c> (<c>[v6]:PORT</c> for IPv6) plus an optional address for a host name.</summary>
    public static bool TryParse(string to, string? ip, out ExplainDestination? destination, out string? error)
    {
        destination = null;
        to = to?.Trim() ?? "";
        var colon = to.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(to.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{to}' must be HOST:PORT with a port in 1..65535";
            return false;
        }
        var host = to[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        NetAddress? address = null;
        if (NetAddress.TryParse(host, out var literal))
        {
            address = literal;
            host = null;
        }
        else if (!HostPattern.IsDnsName(host.TrimEnd('.')))
        {
            error = $"'{host}' is neither a host name nor an IP address";
            return false;
        }

        if (!string.IsNullOrWhiteSpace(ip))
        {
            if (!NetAddress.TryParse(ip.Trim(), out var given))
            {
                error = $"--ip '{ip}' is not an IP address";
                return false;
            }
            if (address is { } a && a != given)
            {
                error = $"--ip {ip} contradicts the address in --to {to}";
                return false;
            }
            address = given;
        }
        destination = new ExplainDestination(host, address, port);
        error = null;
        return true;
    }

    public override string ToString()
    {
        var name = Host ?? (Address is { IsIPv6: true } v6 ? $"[{v6}]" : Address?.ToString());
        var ip = Host is not null && Address is { } a ? $" ({a})" : "";
        return $"{name}:{Port}{ip}";
    }
}
