using System.Globalization;
using System.Net;
using BenchmarkDotNet.Running;

namespace Mesh.Benchmarks;

internal static class Program
{
    private static async Task Main(string[] args)
    {
        // `floor [--raw [--buffer BYTES]] [--outbound-port N] [--admin ADDRESS:PORT]`: the data plane's floor for
        // bench/dataplane (FLOOR=1); --raw is the forwarder on its own epoll loop below .NET's sockets.
        if (args is ["floor", ..])
        {
            var port = ValueOf(args, "--outbound-port") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 15001;
            var admin = IPEndPoint.Parse(ValueOf(args, "--admin") ?? "127.0.0.1:15000");
            if (args.Contains("--raw"))
            {
                var buffer = ValueOf(args, "--buffer") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : 64 * 1024;
                await RawEpollFloor.RunAsync(port, admin, buffer);
                return;
            }
            await DataPlaneFloor.RunAsync(port, admin);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static string? ValueOf(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
