using Akka.Configuration;
using Akka.Hosting;
using Mesh.Cli.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mesh.Cli.Hosting;

/// <summary>
/// The generic host every long-running command runs in: operator logs to stderr (stdout carries only the JSON decision
/// log), Akka's own log through the same logger factory, the actor system configured from the resolved <c>akka</c>
/// section, one metrics registry for the process, and the signal lifetime.
/// </summary>
internal static class MeshHost
{
    /// <param name="akkaOverrides">HOCON the command sets over the configuration (the provider, resolved seed nodes).</param>
    /// <param name="akkaDefaults">HOCON the command sets under the configuration: the user's files may change it.</param>
    /// <param name="akkaFallback">Akka configuration under all of it (Akka's own defaults of a module the role uses).</param>
    public static HostApplicationBuilder Create(MeshConfiguration configuration, LogLevel logLevel, string akkaOverrides = "", string akkaDefaults = "",
        Config? akkaFallback = null)
    {
        // Not the working directory: a sidecar does not choose it and may not be able to enter it.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .SetMinimumLevel(logLevel);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<SignalLifetime>();
        builder.Services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<SignalLifetime>());
        builder.Services.AddSingleton(_ =>
        {
            var registry = Metrics.NewCustomRegistry();
            // The runtime's own figures beside Mesh's: GC collections and heap size, process CPU, RSS, threads. Without
            // them an RSS that grows cannot be told apart from heap the GC has not returned (docs/benchmarks.md).
            DotNetStats.Register(registry);
            return registry;
        });
        builder.Services.AddSingleton<ExitCode>();
        builder.Services.AddAkka("mesh", (akka, _) =>
        {
            akka.AddHocon(akkaDefaults + "\n" + configuration.AkkaHocon + "\n" + akkaOverrides, HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                });
            if (akkaFallback is not null) akka.AddHocon(akkaFallback, HoconAddMode.Append);
        });
        return builder;
    }

    /// <summary>The host of a long-running command's role.</summary>
    public static HostApplicationBuilder Create(MeshConfiguration configuration, HostedRole role) =>
        Create(configuration, role.LogLevel, role.AkkaOverrides, role.AkkaDefaults, role.AkkaFallback);
}
