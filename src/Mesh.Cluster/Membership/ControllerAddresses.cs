using System.Net;
using System.Net.Sockets;

namespace Mesh.Cluster.Membership;

/// <summary>
/// Turns the HOST:PORT entries of <c>--seed-nodes</c> and <c>--controllers</c> into Akka addresses. A DNS name stands
/// for every address it resolves to (in Kubernetes, the controllers' headless Service), because Akka only accepts a
/// message for the address a node advertises, which is its IP: a name would reach nobody.
/// </summary>
public static class ControllerAddresses
{
    /// <summary>Every address of every entry, sorted and without duplicates (IP literals as they are).</summary>
    public static async Task<IReadOnlyList<(string Host, int Port)>> ResolveAsync(IEnumerable<(string Host, int Port)> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var resolved = new SortedSet<(string Host, int Port)>();
        foreach (var (host, port) in entries)
        {
            if (IPAddress.TryParse(host, out var literal))
            {
                resolved.Add((literal.ToString(), port));
                continue;
            }
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"{host}: {e.Message}", e);
            }
            foreach (var address in addresses.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                resolved.Add((address.ToString(), port));
            }
        }
        return [.. resolved];
    }

    /// <summary>
    /// The seed nodes of a controller, as <c>akka.tcp://SYSTEM@HOST:PORT</c>, in the same (sorted) order on every
    /// controller, this one included: Akka lets only the first seed start a new cluster, and only after asking every other
    /// seed for <c>seed-node-timeout</c> without an answer, so a restarted first seed joins the controllers still running
    /// (keep the timeout at 5 s or more: at 1 s a restarted seed under load formed a second cluster). Were each node to
    /// put the others first, none would ever start the cluster.
    /// </summary>
    public static IReadOnlyList<string> SeedNodes(string system, IReadOnlyList<(string Host, int Port)> resolved, (string Host, int Port) self)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var all = resolved.Any(r => Same(r, self)) ? resolved : [.. resolved, self];
        return [.. all.Order().Select(r => Address(system, r.Host, r.Port))];
    }

    public static string Address(string system, string host, int port) =>
        $"akka.tcp://{system}@{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}";

    private static bool Same((string Host, int Port) a, (string Host, int Port) b) =>
        a.Port == b.Port && (a.Host == b.Host || (IPAddress.TryParse(a.Host, out var x) && IPAddress.TryParse(b.Host, out var y) && x.Equals(y)));
}
