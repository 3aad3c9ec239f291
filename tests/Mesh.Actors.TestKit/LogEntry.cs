using Microsoft.Extensions.Logging;

namespace Mesh.Actors.TestKit;

/// <summary>One formatted log call captured by <see cref="TestLoggerFactory"/>.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
