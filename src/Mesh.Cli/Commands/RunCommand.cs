using System.CommandLine;
using System.Runtime.InteropServices;
using Mesh.Cli.Configuration;
using Mesh.Control;
using Mesh.Proxy;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Commands;

/// <summary>
/// <c>mesh run</c>: the all-in-one node. The directory watcher and policy aggregator (control plane) and the proxy
/// node run in one process, the proxy consuming snapshots through the same <c>ISnapshotSource</c> a remote
/// controller will serve.
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
        MeshSettings settings;
        try
        {
            settings = MeshSettings.Read(MeshConfiguration.Build(flags.ConfigFile, flags.Overrides));
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

        ApplySocketEngineSettings(settings.InlineSocketCompletions, settings.SocketEngineThreads);
        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .SetMinimumLevel(settings.LogLevel));
        // Operator logs go to stderr so that stdout carries only the JSON decision log.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // SIGTERM (kubelet, kill) and SIGHUP (a closed terminal or session; its default would end the process without
        // a word) stop the node in order and say so.
        string? stopSignal = null;
        void OnSignal(PosixSignalContext c)
        {
            c.Cancel = true;
            stopSignal = c.Signal.ToString();
            stop.Cancel();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        await using var decisionWriter = OpenDecisionLog(settings.DecisionLog);
        await using var decisionLog = decisionWriter is null ? DecisionLog.None : new DecisionLog(decisionWriter); // flushed before the writer closes
        await using var control = await ControlPlane.StartAsync(settings.Control, loggerFactory, stop.Token);
        await using var node = new ProxyNode(settings.Identity, control.Snapshots, settings.Proxy, loggerFactory, decisionLog);
        node.Start();
        await using var admin = await AdminServer.StartAsync(node, settings.Proxy.AdminEndpoint, stop.Token, () => ControlPlaneMetrics.Render(control));
        await Console.Error.WriteLineAsync(
            $"mesh run: serving {settings.Identity} from {settings.Control.ManifestDirectory}; outbound :{settings.Proxy.OutboundPort}, admin http://{settings.Proxy.AdminEndpoint}/");
        foreach (var rejection in control.Validation.Rejections) await Console.Error.WriteLineAsync($"rejected: {rejection}");

        var stopped = Task.Delay(Timeout.Infinite, stop.Token);
        var finished = await Task.WhenAny(stopped, control.Completion);
        if (finished == control.Completion)
        {
            await Console.Error.WriteLineAsync(control.Completion.IsFaulted
                ? $"mesh run: control plane failed: {control.Completion.Exception?.GetBaseException().Message}"
                : "mesh run: the control plane stopped unexpectedly");
            return 1;
        }
        await Console.Error.WriteLineAsync($"mesh run: stopping ({stopSignal ?? "cancelled"})");
        return 0;
    }

    /// <summary>
    /// The runtime reads these switches once, when the first socket operation starts the socket engine, so they are set
    /// here, before any socket exists. An explicit environment setting is left as it is.
    /// </summary>
    private static void ApplySocketEngineSettings(bool inline, int engineThreads)
    {
        SetUnlessSet("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", inline ? "1" : "0");
        if (inline)
        {
            var threads = engineThreads > 0 ? engineThreads : Math.Max(2, Environment.ProcessorCount);
            SetUnlessSet("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        static void SetUnlessSet(string variable, string value)
        {
            if (Environment.GetEnvironmentVariable(variable) is null) Environment.SetEnvironmentVariable(variable, value);
        }
    }

    private static TextWriter? OpenDecisionLog(string target) => target switch
    {
        "none" => null,
        "stdout" => TextWriter.Synchronized(Console.Out),
        _ => TextWriter.Synchronized(new StreamWriter(target, append: true)),
    };
}
