using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.E2E.Origin;

/// <summary>Serve mode: all listeners in one Kestrel, each connection logged before anything else happens.</summary>
internal static class OriginServer
{
    /// <summary>Printed once every listener is bound and the CA is on disk; the harness waits for it.</summary>
    public const string ReadyLine = "origin: ready";

    public static async Task<int> RunAsync(OriginOptions options)
    {
        using var log = new OriginLog(options.LogPath!);
        using var authority = CertificateAuthority.Create();
        var certificates = options.CertificateNames.ToDictionary(
            name => name, authority.Issue, StringComparer.OrdinalIgnoreCase);
        try
        {
            if (options.CaCertificatePath is { } caPath)
            {
                await File.WriteAllTextAsync(caPath, authority.RootPem);
            }

            foreach (var (endpoint, dialect) in options.LenientHttp)
            {
                new Lenient.LenientHttpServer(endpoint, dialect, log).Start();
            }

            if (!options.HasKestrelListeners)
            {
                Console.WriteLine(ReadyLine);
                await Task.Delay(Timeout.Infinite); // until the harness kills it
                return 0;
            }

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                foreach (var endpoint in options.Http)
                {
                    kestrel.Listen(endpoint, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1;
                        LogAccepts(listen, log, "http");
                    });
                }

                foreach (var endpoint in options.Https)
                {
                    kestrel.Listen(endpoint, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1AndHttp2;
                        LogAccepts(listen, log, "https");
                        listen.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            ServerCertificateSelector = (_, sni) => SelectCertificate(certificates, options, sni),
                        });
                    });
                }

                foreach (var endpoint in options.ServerFirst)
                {
                    kestrel.Listen(endpoint, listen =>
                    {
                        LogAccepts(listen, log, "server-first");
                        listen.Run(ServerFirstHandler.HandleAsync);
                    });
                }
            });

            await using var app = builder.Build();
            app.Run(context =>
                new HttpbinHandler(log, context.Request.IsHttps ? "https" : "http").HandleAsync(context));
            await app.StartAsync();
            Console.WriteLine(ReadyLine);
            await app.WaitForShutdownAsync();
            return 0;
        }
        finally
        {
            foreach (var certificate in certificates.Values)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>A client without SNI (e.g. curl to a bare IP) gets the first name's certificate.</summary>
    private static X509Certificate2 SelectCertificate(
        Dictionary<string, X509Certificate2> certificates, OriginOptions options, string? sni) =>
        sni is not null && certificates.TryGetValue(sni, out var exact)
            ? exact
            : certificates[options.CertificateNames[0]];

    private static void LogAccepts(ListenOptions listen, OriginLog log, string listener) =>
        listen.Use(next => connection =>
        {
            log.Write(new OriginLogEntry("connection", listener,
                (connection.RemoteEndPoint as IPEndPoint) is { } remote
                    ? HttpbinHandler.Endpoint(remote.Address, remote.Port) : null,
                (connection.LocalEndPoint as IPEndPoint) is { } local
                    ? HttpbinHandler.Endpoint(local.Address, local.Port) : null));
            return next(connection);
        });
}
