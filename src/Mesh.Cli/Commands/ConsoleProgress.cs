using Mesh.Deploy.Cluster;
using Spectre.Console;

namespace Mesh.Cli.Commands;

/// <summary>
/// The progress of a wait on stderr: a spinner with the current status on a terminal (Spectre.Console's status
/// display, which puts the cursor back when it ends), one line per status otherwise, so logs keep every step.
/// </summary>
internal sealed class ConsoleProgress : IProgressDisplay
{
    private readonly IAnsiConsole? _console;
    private readonly LineProgress _lines = new(Console.Error);

    public ConsoleProgress()
    {
        if (Console.IsErrorRedirected) return;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (console.Profile.Capabilities.Interactive) _console = console;
    }

    public async Task<T> ShowAsync<T>(string status, Func<Action<string>, Task<T>> work)
    {
        if (_console is null) return await _lines.ShowAsync(status, work).ConfigureAwait(false);
        return await _console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status),
            context => work(next => context.Status(Markup.Escape(next)))).ConfigureAwait(false);
    }
}
