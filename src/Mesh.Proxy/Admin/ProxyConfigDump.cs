using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Proxy.Node;

namespace Mesh.Proxy.Admin;

/// <summary>
/// A proxy's <c>/config_dump</c>: the snapshot's JSON form (the seed's fields, version, rules, issues) with a
/// <c>Proxy</c> section added: when the snapshot was applied and how old it is, the order of its inputs, and whether a
/// controller has answered lately (fail static: the snapshot stays in force either way); and the runtime settings the
/// data plane's latency depends on, as the runtime applied them (the shipped <c>mesh.runtimeconfig.json</c> or the
/// environment: see <c>src/Mesh.Cli/Mesh.Cli.csproj</c>).
/// </summary>
internal static class ProxyConfigDump
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string? Render(IdentityView view)
    {
        if (view.Snapshot is not { } snapshot) return null;
        var document = JsonNode.Parse(snapshot.Json)!.AsObject();
        var now = DateTimeOffset.UtcNow;
        document["Proxy"] = new JsonObject
        {
            ["AppliedAt"] = view.SnapshotAppliedAt?.ToString("O"),
            ["AgeSeconds"] = view.SnapshotAppliedAt is { } at ? Math.Round((now - at).TotalSeconds, 3) : null,
            ["InputOrder"] = view.Order.ToString(),
            ["ControllerReachable"] = view.SourceReachable,
            ["LastHeardFromController"] = view.LastHeardFromSource?.ToString("O"),
            ["Runtime"] = Runtime(),
        };
        return document.ToJsonString(Indented);
    }

    private static JsonObject Runtime()
    {
        var gc = GC.GetConfigurationVariables();
        return new JsonObject
        {
            ["ServerGC"] = System.Runtime.GCSettings.IsServerGC,
            ["ConcurrentGC"] = gc.TryGetValue("ConcurrentGC", out var concurrent) ? JsonValue.Create(concurrent as bool?) : null,
            ["Gen0MaxBudgetBytes"] = gc.TryGetValue("GCGen0MaxBudget", out var budget) ? JsonValue.Create(Convert.ToInt64(budget, System.Globalization.CultureInfo.InvariantCulture)) : null,
            ["ProcessorCount"] = Environment.ProcessorCount,
            ["TieredCompilationCallCountThreshold"] = CallCountThreshold(),
        };
    }

    /// <summary>
    /// The runtime does not report it, so it is read where the runtime reads it: the environment (hexadecimal, like
    /// every <c>DOTNET_</c> runtime knob) wins over <c>mesh.runtimeconfig.json</c>; 30 is the runtime's default.
    /// </summary>
    private static int CallCountThreshold()
    {
        foreach (var name in (string[])["DOTNET_TC_CallCountThreshold", "COMPlus_TC_CallCountThreshold"])
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.HexNumber,
                    System.Globalization.CultureInfo.InvariantCulture, out var fromEnvironment)) return fromEnvironment;
        }
        return int.TryParse(AppContext.GetData("System.Runtime.TieredCompilation.CallCountThreshold") as string,
            System.Globalization.CultureInfo.InvariantCulture, out var configured) ? configured : 30;
    }
}
