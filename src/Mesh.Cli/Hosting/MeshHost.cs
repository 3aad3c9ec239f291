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
    /// <summary>
    /// The host of a long-running command's role: its Akka configuration is the role's overrides (the provider, resolved
    /// seed nodes) over the user's configuration, over the role's HOCON defaults, over the role's Akka fallback.
    /// </summary>
    public static HostApplicationBuilder Create(MeshConfiguration configuration, HostedRole role)
    {
        // Not the working directory: a sidecar does not choose it and may not be able to enter it.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .SetMinimumLevel(role.LogLevel);
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
            akka.AddHocon(role.AkkaDefaults + "\n" + configuration.AkkaHocon + "\n" + role.AkkaOverrides, HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                });
            if (role.AkkaFallback is not null) akka.AddHocon(role.AkkaFallback, HoconAddMode.Append);
        });
        return builder;
    }
}
