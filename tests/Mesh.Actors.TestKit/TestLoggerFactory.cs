using Microsoft.Extensions.Logging;

namespace Mesh.Actors.TestKit;

/// <summary>An <see cref="ILoggerFactory"/> whose loggers send every entry to a probe, so tests can expect log lines.</summary>
public sealed class TestLoggerFactory : ILoggerFactory
{
    public TestProbe<LogEntry> Entries { get; } = new("log");

    public ILogger CreateLogger(string categoryName) => new ProbeLogger(categoryName, Entries);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("TestLoggerFactory only records to its probe.");

    public void Dispose()
    {
    }

    private sealed class ProbeLogger(string category, TestProbe<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Tell(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
