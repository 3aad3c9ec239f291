namespace Mesh.Actors.Tests;

internal abstract record ParentMessage;

internal sealed record SpawnWorker(string Name, ActorOptions Options, TaskCompletionSource<ActorRef<WorkerMessage>> Reply) : ParentMessage;

internal sealed record Ping(TaskCompletionSource<string> Reply) : ParentMessage;
