namespace Mesh.Actors;

/// <summary>
/// Request/response with an actor. The request record carries a <see cref="TaskCompletionSource{TResult}"/>
/// the handler completes: <c>record GetCount(TaskCompletionSource&lt;int&gt; Reply) : CounterMessage;</c>
/// </summary>
public static class AskExtensions
{
    /// <summary>
    /// Sends the request built around a fresh reply source and awaits the reply. Throws <see cref="TimeoutException"/>
    /// when sending plus replying takes longer than <paramref name="timeout"/> (including a handler that failed on
    /// the request: the restart is logged, the caller sees the timeout), and <see cref="InvalidOperationException"/>
    /// when the target does not accept the request.
    /// </summary>
    public static async Task<TResponse> AskAsync<TMessage, TResponse>(
        this IActorRef<TMessage> target,
        Func<TaskCompletionSource<TResponse>, TMessage> createRequest,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(createRequest);
        // Asynchronous continuations: the handler completing the reply must not run the asker's code on the actor loop.
        var reply = new TaskCompletionSource<TResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (!await target.SendAsync(createRequest(reply), deadline.Token))
                throw new InvalidOperationException($"Actor '{target.Path}' did not accept the request (stopped, or mailbox full).");
            return await reply.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No reply from '{target.Path}' within {timeout}.");
        }
    }
}
