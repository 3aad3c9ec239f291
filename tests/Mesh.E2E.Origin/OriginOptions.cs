using System.Globalization;
using System.Net;

namespace Mesh.E2E.Origin;

/// <summary>The command line of the origin: either serve the fake internet, or probe a server-first service.</summary>
internal sealed class OriginOptions
{
    public string? LogPath { get; private set; }

    public string? CaCertificatePath { get; private set; }

    public List<IPEndPoint> Http { get; } = [];

    public List<IPEndPoint> Https { get; } = [];

    public List<IPEndPoint> ServerFirst { get; } = [];

    /// <summary>Lenient HTTP origins (see <see cref="Lenient.LenientHttpServer"/>), each with its framing dialect.</summary>
    public List<(IPEndPoint Endpoint, Lenient.FramingDialect Dialect)> LenientHttp { get; } = [];

    /// <summary>Whether any listener is served by Kestrel (the lenient ones are not).</summary>
    public bool HasKestrelListeners => Http.Count + Https.Count + ServerFirst.Count > 0;

    /// <summary>DNS names the HTTPS listener has certificates for; the first also answers clients that send no SNI.</summary>
    public List<string> CertificateNames { get; } = [];

    /// <summary>host:port to probe in client mode; null in server mode.</summary>
    public string? ProbeTarget { get; private set; }

    public TimeSpan ProbeTimeout { get; private set; } = TimeSpan.FromSeconds(3);

    public static OriginOptions Parse(IReadOnlyList<string> args)
    {
        var options = new OriginOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--log": options.LogPath = value; break;
                case "--ca-out": options.CaCertificatePath = value; break;
                case "--http": options.Http.Add(IPEndPoint.Parse(value)); break;
                case "--https": options.Https.Add(IPEndPoint.Parse(value)); break;
                case "--server-first": options.ServerFirst.Add(IPEndPoint.Parse(value)); break;
                case "--lenient-http": options.LenientHttp.Add((IPEndPoint.Parse(value), Lenient.FramingDialect.Lenient)); break;
                case "--literal-http": options.LenientHttp.Add((IPEndPoint.Parse(value), Lenient.FramingDialect.Literal)); break;
                case "--name": options.CertificateNames.Add(value); break;
                case "--probe": options.ProbeTarget = value; break;
                case "--timeout-ms":
                    options.ProbeTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture));
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        if (options.ProbeTarget is null)
        {
            if (options.LogPath is null) throw new ArgumentException("--log is required");
            if (options.Https.Count > 0 && (options.CaCertificatePath is null || options.CertificateNames.Count == 0))
            {
                throw new ArgumentException("--https needs --ca-out and at least one --name");
            }
        }

        return options;
    }
}
