namespace Mesh.Protocols.Tests.Support;

/// <summary>
/// Runs a property check on the thread pool with a deadline, so a parser that loops forever fails the
/// test instead of hanging the run (xunit 2 has no timeout for synchronous facts).
/// </summary>
internal static class Bounded
{
    public static async Task Run(Action check, int seconds = 120)
    {
        await Task.Run(check).WaitAsync(TimeSpan.FromSeconds(seconds));
    }
}
