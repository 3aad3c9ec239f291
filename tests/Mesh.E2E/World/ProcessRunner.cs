using System.Diagnostics;

namespace Mesh.E2E.World;

/// <summary>Runs a command to completion with a hard time limit, so no test can hang on a stuck tool.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(20);

    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var command = Describe(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        process.StandardInput.Close(); // nothing we run should wait for input
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit ?? DefaultLimit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException(
                $"`{command}` did not finish within {limit ?? DefaultLimit}; stdout: {await stdout}; stderr: {await stderr}");
        }

        return new CommandResult(command, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a setup command that must succeed; failing loudly names the command and its output.</summary>
    public static async Task<CommandResult> RunCheckedAsync(string fileName, params string[] arguments)
    {
        var result = await RunAsync(fileName, arguments);
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"setup step failed: {result}");
    }

    internal static string Describe(ProcessStartInfo start) =>
        string.Join(' ', start.ArgumentList.Prepend(start.FileName).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
}
