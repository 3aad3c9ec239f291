using System.Net.Sockets;
using System.Text;

namespace Mesh.E2E.Origin;

/// <summary>
/// Probe mode: connect, wait for the server's banner without sending anything, then check one echo round trip.
/// Exit codes follow curl's where they mean the same: 7 refused, 28 timeout, 56 reset/closed; 0 success.
/// </summary>
internal static class ServerFirstProbe
{
    private const string Ping = "ping\r\n";

    public static async Task<int> RunAsync(string target, TimeSpan timeout)
    {
        var colon = target.LastIndexOf(':');
        var host = target[..colon];
        var port = int.Parse(target.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, deadline.Token);
            var stream = client.GetStream();
            var banner = await ReadLineAsync(stream, deadline.Token);
            if (banner is null)
            {
                return Fail(56, "connection closed before the banner");
            }

            Console.WriteLine($"banner: {banner}");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Ping), deadline.Token);
            var echo = await ReadLineAsync(stream, deadline.Token);
            Console.WriteLine($"echo: {echo}");
            return echo == Ping.TrimEnd() ? 0 : Fail(56, "echo missing or wrong");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Fail(7, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(28, $"no answer within {timeout.TotalMilliseconds} ms");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return Fail(56, e.Message);
        }
    }

    /// <summary>One CRLF-terminated line, byte by byte so nothing after it is consumed; null on end of stream.</summary>
    private static async Task<string?> ReadLineAsync(NetworkStream stream, CancellationToken cancel)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < 1024)
        {
            if (await stream.ReadAsync(one, cancel) == 0) return null;
            if (one[0] == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    private static int Fail(int code, string why)
    {
        Console.Error.WriteLine($"probe: {why}");
        return code;
    }
}
