namespace Mesh.Actors.Tests;

// The message protocol of the test Worker, kept next to it as the conventions ask.
internal abstract record WorkerMessage;

/// <summary>Counts one unit of work; the worker reports the running count.</summary>
internal sealed record Work(int Id) : WorkerMessage;

/// <summary>Makes the handler throw.</summary>
internal sealed record Crash(string Reason) : WorkerMessage;

/// <summary>Holds the loop until <paramref name="Gate"/> completes (or the stop token cancels).</summary>
internal sealed record WaitFor(Task Gate) : WorkerMessage;

internal sealed record GetCount(TaskCompletionSource<int> Reply) : WorkerMessage;
