using Microsoft.Extensions.Logging;

namespace Mesh.Actors;

/// <summary>Everything the toolkit itself logs, as source-generated messages.</summary>
internal static partial class ActorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Actor {Path} failed ({FailuresInWindow} failure(s) in window); restarting in {DelayMs} ms")]
    public static partial void Restarting(ILogger logger, string path, int failuresInWindow, long delayMs, Exception cause);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "Actor {Path} gave up after {FailuresInWindow} failure(s) in window; escalating to {Parent}")]
    public static partial void Escalating(ILogger logger, string path, int failuresInWindow, string parent, Exception cause);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Actor {Path}: PostStop failed")]
    public static partial void PostStopFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "Actor system {System} stopping: {Path} escalated to the root")]
    public static partial void RootEscalation(ILogger logger, string system, string path, Exception cause);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Actor {Path}: child {Child} escalated; parent answers {Directive}")]
    public static partial void ChildEscalated(ILogger logger, string path, string child, EscalationDirective directive, Exception cause);
}
