namespace Mesh.Actors;

/// <summary>
/// A topic value with its version. Versions grow across all keys of one hub and never repeat, even after a
/// key is removed and published again, so "newer than what I have" stays meaningful for a remote reader too.
/// </summary>
public readonly record struct Versioned<TValue>(long Version, TValue Value);
