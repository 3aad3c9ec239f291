using System.Diagnostics;

namespace Mesh.E2E.World;

/// <summary>
/// A long-running process (origin, proxy) whose output is kept for failure messages. Disposing kills it and
/// waits for it, so nothing outlives the test that started it.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    private BackgroundProcess(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    public string Command { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The last lines of stdout and stderr, interleaved as they arrived.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_gate)
            {
                var exit = _process.HasExited ? $" (exited {_process.ExitCode})" : "";
                return $"--- output of `{Command}`{exit} ---\n{string.Join('\n', _lines)}";
            }
        }
    }

    /// <param name="workingDirectory">Where it starts; by default the test host's own.</param>
    public static BackgroundProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var started = new BackgroundProcess(process, ProcessRunner.Describe(start));
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start {started.Command}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The last lines of stdout and stderr, as they are now.</summary>
    public IReadOnlyList<string> RecentLines
    {
        get
        {
            lock (_gate) return [.. _lines];
        }
    }

    /// <summary>Waits until a line containing the text appears, within <paramref name="limit"/> (dilated); fails early if the process dies.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan limit)
    {
        limit = TestTime.Dilate(limit);
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (Saw(text)) return;
            if (_process.HasExited) break;
            await Task.Delay(50);
        }

        if (!Saw(text))
        {
            var why = _process.HasExited ? "it exited first" : $"not within {limit}";
            throw new InvalidOperationException($"no line containing \"{text}\": {why}\n{RecentOutput}");
        }
    }

    /// <summary>Idempotent: a test and the world may both dispose the same process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(ExitWait);
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or stuck in the kernel; the namespace teardown is the last line of defence.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private bool Saw(string text)
    {
        lock (_gate)
        {
            return _lines.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }
}
