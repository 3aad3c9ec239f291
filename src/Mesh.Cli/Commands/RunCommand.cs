using System.CommandLine;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Cli.Commands;

/// <summary>
/// <c>mesh run</c>: the all-in-one node (see <see cref="AllInOneNode"/>) in the generic host. Exit codes: 0 stopped by a
/// signal, 1 failed while starting or running, 2 bad configuration.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the all-in-one node: watch a directory of manifests and proxy egress for one identity");
        var options = new CommonOptions(command);
        command.SetAction((parse, ct) => RunAsync(options.Read(parse), ct));
        return command;
    }

    private static async Task<int> RunAsync(FlagValues flags, CancellationToken ct)
    {
        MeshConfiguration configuration;
        MeshSettings settings;
        try
        {
            configuration = MeshConfiguration.Build(flags.ConfigFile, flags.Overrides);
            settings = MeshSettings.Read(configuration.Settings);
        }
        catch (Exception e) when (e is SettingsException or InvalidDataException or FileNotFoundException or Mesh.Hocon.HoconException)
        {
            await Console.Error.WriteLineAsync($"mesh run: {e.Message}");
            return 2;
        }
        if (!Directory.Exists(settings.Control.ManifestDirectory))
        {
            await Console.Error.WriteLineAsync($"mesh run: manifest directory {settings.Control.ManifestDirectory} does not exist");
            return 2;
        }

        SocketEngine.Configure(settings.InlineSocketCompletions, settings.SocketEngineThreads);
        var builder = MeshHost.Create(configuration, settings.LogLevel);
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<AllInOneNode>();
        using var host = builder.Build();
        var signals = host.Services.GetRequiredService<SignalLifetime>();
        try
        {
            await host.RunAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"mesh run: {e.GetBaseException().Message}");
            return 1;
        }
        await Console.Error.WriteLineAsync($"mesh run: stopping ({signals.StopSignal ?? "cancelled"})");
        return 0;
    }
}
