namespace Mesh.Actors;

/// <summary>What a supervisor needs of a child, whatever its message type.</summary>
internal interface IChildActor
{
    string Path { get; }

    Task StopAsync(StopMode mode);
}
