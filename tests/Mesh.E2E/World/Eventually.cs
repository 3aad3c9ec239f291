namespace Mesh.E2E.World;

/// <summary>
/// Bounded polling for effects that happen asynchronously (a manifest change reaching the proxy). It returns
/// the last attempt either way; the caller's assertion on it is what fails, with the real outcome in the message.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan ConfigChangeLimit = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> attempt, Func<T, bool> done, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? ConfigChangeLimit);
        while (true)
        {
            var result = await attempt();
            if (done(result) || DateTime.UtcNow >= deadline) return result;
            await Task.Delay(Pause);
        }
    }
}
