namespace Mesh.Deploy.Values;

/// <summary>
/// One settable value: its dotted key, what it means, how to show its current value and how to apply a new one.
/// <see cref="Apply"/> throws <see cref="FormatException"/> with what is wrong; the caller adds the key.
/// </summary>
internal sealed record ValueKey(
    string Name,
    string Description,
    Func<InstallValues, string> Show,
    Func<InstallValues, string, InstallValues> Apply);
