namespace Mesh.FakeKubeApi.Faults;

/// <summary>What to do to one request instead of (or while) serving it.</summary>
internal abstract record Fault
{
    /// <summary>Answer with this status and a Status body (and Retry-After, if given).</summary>
    public sealed record Fail(int Status, TimeSpan? RetryAfter) : Fault;

    /// <summary>Abort the connection without an answer.</summary>
    public sealed record Cut : Fault;

    /// <summary>(Watches) send the headers, then nothing, and keep the connection open.</summary>
    public sealed record Stall : Fault;

    /// <summary>(Watches) answer 410 Expired in the given form.</summary>
    public sealed record Expire(ExpiryForm Form) : Fault;
}
