namespace Mesh.E2E.World;

/// <summary>What a finished command produced; its ToString is written for assertion messages.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The status line of a `curl -I` answer, e.g. "HTTP/2 200", trimmed; empty when there is none.</summary>
    public string StatusLine => Stdout.Split('\n', 2)[0].Trim();

    /// <summary>Whether a `curl -I` answer carries the header (case-insensitive name).</summary>
    public bool HasHeader(string name) =>
        Stdout.Split('\n').Skip(1).Any(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));

    public override string ToString() =>
        $"`{Command}` exited {ExitCode}\n--- stdout ---\n{Stdout.TrimEnd()}\n--- stderr ---\n{Stderr.TrimEnd()}";
}
