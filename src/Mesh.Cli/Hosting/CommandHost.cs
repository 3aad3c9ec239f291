using Akka.Configuration;
using Mesh.Cli.Commands;
using Mesh.Cli.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Hosting;

/// <summary>
/// What a long-running command contributes to its host: its settings, its Akka overrides and its services; under the
/// configuration, its HOCON defaults, and below those the defaults of Akka modules it uses (<see cref="AkkaFallback"/>).
/// </summary>
internal sealed record HostedRole(LogLevel LogLevel, string AkkaOverrides, Action<IServiceCollection> AddServices, string AkkaDefaults = "",
    Config? AkkaFallback = null);

/// <summary>
/// Runs a long-running command (<c>mesh run</c>, <c>mesh controller</c>, <c>mesh proxy</c>) in the generic host.
/// Exit codes: 0 stopped by a signal, 1 failed while starting or running (see <see cref="ExitCode"/>), 2 bad configuration.
/// </summary>
internal static class CommandHost
{
    public static async Task<int> RunAsync(string command, FlagValues flags, Func<MeshConfiguration, CancellationToken, Task<HostedRole>> role,
        CancellationToken ct)
    {
        MeshConfiguration configuration;
        HostedRole hosted;
        try
        {
            configuration = MeshConfiguration.Build(flags.ConfigFile, flags.Overrides);
            hosted = await role(configuration, ct);
        }
        catch (Exception e) when (e is SettingsException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                       or InvalidOperationException or Mesh.Hocon.HoconException)
        {
            await Console.Error.WriteLineAsync($"mesh {command}: {e.Message}");
            return 2;
        }

        var builder = MeshHost.Create(configuration, hosted);
        hosted.AddServices(builder.Services);
        using var host = builder.Build();
        var signals = host.Services.GetRequiredService<SignalLifetime>();
        var exit = host.Services.GetRequiredService<ExitCode>();
        try
        {
            await host.RunAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"mesh {command}: {e.GetBaseException().Message}");
            return 1;
        }
        if (exit.Code != 0)
        {
            await Console.Error.WriteLineAsync($"mesh {command}: stopped: {exit.Reason}");
            return exit.Code;
        }
        await Console.Error.WriteLineAsync($"mesh {command}: stopping ({signals.StopSignal ?? "cancelled"})");
        return 0;
    }
}
