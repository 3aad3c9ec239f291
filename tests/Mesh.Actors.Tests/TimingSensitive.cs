namespace Mesh.Actors.Tests;

/// <summary>
/// Tests that assert on elapsed time (restart backoff) run alone, after the parallel ones, so a busy
/// neighbour on a two-core machine cannot starve their timers.
/// </summary>
[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;
