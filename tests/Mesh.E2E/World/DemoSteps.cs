namespace Mesh.E2E.World;

/// <summary>
/// The two kinds of step the seed demos show, as assertions: "command terminated with exit code 7" and a
/// successful answer. Both poll (bounded) because a manifest change reaches the proxy asynchronously; failures
/// carry the attempt, the origin log and the proxy's output.
/// </summary>
public sealed class DemoSteps(TestWorld world, MeshProcess mesh)
{
    public Task ExpectRefusedAsync(params string[] curlArgs) => ExpectRefusedAsync(() => world.PodCurlAsync(curlArgs));

    /// <summary>The identity can reach nothing at all: the proxy refuses the connection itself (exit 7).</summary>
    public Task ExpectRefusedAsync(Func<Task<CommandResult>> attempt) =>
        ExpectDeniedAsync(attempt, [7], "exit code 7 (connection refused)");

    public Task ExpectResetAsync(params string[] curlArgs) => ExpectResetAsync(() => world.PodCurlAsync(curlArgs));

    /// <summary>
    /// The identity can reach something, just not this: the proxy resets the connection. curl says 56 (receive
    /// failure) or, when the reset cuts a TLS handshake, 35.
    /// </summary>
    public Task ExpectResetAsync(Func<Task<CommandResult>> attempt) =>
        ExpectDeniedAsync(attempt, [35, 56], "exit code 56 or 35 (connection reset)");

    /// <summary>
    /// Waits until the attempt ends with one of the exit codes, then makes one more and proves it never reached
    /// any origin: the earlier ones may have raced with the change being applied.
    /// </summary>
    private async Task ExpectDeniedAsync(Func<Task<CommandResult>> attempt, int[] exitCodes, string expectation)
    {
        var settled = await Eventually.UntilAsync(attempt, r => exitCodes.Contains(r.ExitCode));
        Assert.True(exitCodes.Contains(settled.ExitCode), Explain($"expected {expectation}", settled));

        var mark = world.OriginLog.Mark();
        var again = await attempt();
        Assert.True(exitCodes.Contains(again.ExitCode), Explain($"expected {expectation} again", again));
        var seen = await Eventually.QuietAsync(() => world.OriginLog.Since(mark));
        Assert.True(seen.Count == 0,
            Explain($"a denied attempt reached the origin; {world.OriginLog.Describe(mark)}", again));
    }

    /// <summary>Waits until curl -I answers with this status line; returns it and what the origin saw for it.</summary>
    public Task<(CommandResult Answer, IReadOnlyList<OriginLogEntry> Seen)> ExpectStatusAsync(
        string statusLine, params string[] curlArgs) =>
        ExpectAsync(() => world.PodCurlAsync(curlArgs), r => r.ExitCode == 0 && r.StatusLine == statusLine, $"expected \"{statusLine}\"");

    /// <summary>Waits until the attempt satisfies the condition; returns it and what the origin saw for it.</summary>
    public async Task<(CommandResult Answer, IReadOnlyList<OriginLogEntry> Seen)> ExpectAsync(
        Func<Task<CommandResult>> attempt, Func<CommandResult, bool> condition, string expectation)
    {
        var mark = 0;
        var answer = await Eventually.UntilAsync(
            async () =>
            {
                mark = world.OriginLog.Mark();
                return await attempt();
            },
            condition);
        Assert.True(condition(answer), Explain(expectation, answer));
        return (answer, world.OriginLog.Since(mark));
    }

    /// <summary>
    /// Waits until the proxy has logged a matching decision: proof the flow went through the proxy, and of the
    /// original destination it read. A connection is logged when it ends, hence the wait.
    /// </summary>
    public async Task<DecisionLogEntry> ExpectDecisionAsync(Func<DecisionLogEntry, bool> match, string what)
    {
        var found = await Eventually.UntilAsync(() => Task.FromResult(mesh.RecentDecisions.FirstOrDefault(match)), e => e is not null);
        Assert.True(found is not null, $"the proxy should have logged {what}\n{mesh.RecentOutput}");
        return found;
    }

    /// <summary>Asserts the origin log holds a matching entry; the message lists what it holds instead.</summary>
    public static void AssertSeen(IReadOnlyList<OriginLogEntry> seen, Func<OriginLogEntry, bool> match, string what) =>
        Assert.True(seen.Any(match), $"the origin should have seen {what}; it saw:\n{string.Join('\n', seen)}");

    public string Explain(string expectation, CommandResult result) =>
        $"{expectation}\n{result}\n{mesh.RecentOutput}";
}
