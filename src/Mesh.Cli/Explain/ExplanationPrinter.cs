using Mesh.Control.Validation;
using Mesh.Policy.Explain;

namespace Mesh.Cli.Explain;

/// <summary>The human-readable form of an explanation: verdict first, then the rules, notes and rejections.</summary>
internal static class ExplanationPrinter
{
    /// <param name="source">Where the objects were read (a directory, or the API server), for the rejections' heading.</param>
    public static void Print(EgressExplanation explanation, ValidationReport validation, string source, TextWriter output)
    {
        output.WriteLine(explanation.Summary);
        output.WriteLine();
        if (explanation.DecidingRule is { } rule)
        {
            var route = explanation.DecidingRoute is { } r ? $", route {r.Group}/{r.Name}" : "";
            output.WriteLine($"Deciding rule: {rule}{route}");
        }
        else
        {
            output.WriteLine($"Deciding rule: none ({explanation.Request?.Reason ?? explanation.Connection.Reason})");
        }
        Section(output, $"Rules for port {explanation.Query.Destination.Port}:", explanation.Candidates.Select(c => c.ToString()));
        Section(output, "Rules for other ports:", explanation.OtherPorts.Select(c => $"{c.Rule}: {c.Reason}"));
        Section(output, "Notes:", explanation.Notes);
        Section(output, $"Rejected in {source} (a rejected object may be why):", validation.Rejections.Select(e => e.ToString()));
    }

    private static void Section(TextWriter output, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0) return;
        output.WriteLine();
        output.WriteLine(title);
        foreach (var line in list) output.WriteLine($"  - {line}");
    }
}
