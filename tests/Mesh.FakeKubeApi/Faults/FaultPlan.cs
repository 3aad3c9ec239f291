namespace Mesh.FakeKubeApi.Faults;

/// <summary>
/// Faults scripted by a test: for the next N matching requests (fail with a status, cut, stall or expire a
/// watch), standing RBAC denials (403 for a verb on a resource until allowed again), and actions on the watches
/// open right now. Thread-safe; rules are taken in the order they were added.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private readonly HashSet<(string Verb, string Resource)> _denied = [];
    private readonly ActiveWatches _watches;

    internal FaultPlan(ActiveWatches watches) => _watches = watches;

    /// <summary>Answers the next <paramref name="count"/> matching requests with <paramref name="status"/> (429, 500, 401, 403, ...).</summary>
    public void FailNext(int count, int status, FaultMatch? match = null, TimeSpan? retryAfter = null) =>
        Add(count, match, new Fault.Fail(status, retryAfter));

    /// <summary>Aborts the connection of the next <paramref name="count"/> matching requests without answering.</summary>
    public void CutNext(int count, FaultMatch? match = null) => Add(count, match, new Fault.Cut());

    /// <summary>The next <paramref name="count"/> matching watches send headers and then nothing, holding the connection.</summary>
    public void StallNextWatches(int count, FaultMatch? match = null) => Add(count, (match ?? FaultMatch.Any) with { Verb = "watch" }, new Fault.Stall());

    /// <summary>The next <paramref name="count"/> matching watches are answered 410 Expired.</summary>
    public void ExpireNextWatches(int count, ExpiryForm form, FaultMatch? match = null) =>
        Add(count, (match ?? FaultMatch.Any) with { Verb = "watch" }, new Fault.Expire(form));

    /// <summary>403 Forbidden for a verb on a resource (plural), until <see cref="Allow"/>.</summary>
    public void Deny(string verb, string resource)
    {
        lock (_gate) _denied.Add((verb, resource));
    }

    public void Allow(string verb, string resource)
    {
        lock (_gate) _denied.Remove((verb, resource));
    }

    /// <summary>Open watches matching stop sending (events stay queued); they resume after <see cref="ResumeActiveWatches"/>.</summary>
    public int StallActiveWatches(FaultMatch? match = null) => _watches.Act(match, w => w.Stall());

    public int ResumeActiveWatches(FaultMatch? match = null) => _watches.Act(match, w => w.Resume());

    /// <summary>Open watches matching have their connections aborted.</summary>
    public int CutActiveWatches(FaultMatch? match = null) => _watches.Act(match, w => w.Cut());

    /// <summary>Open watches matching get an ERROR event with a 410 Status, then end.</summary>
    public int ExpireActiveWatches(FaultMatch? match = null) => _watches.Act(match, w => w.Expire());

    /// <summary>Forgets every scripted fault and denial (open watches are left as they are).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _denied.Clear();
        }
    }

    internal bool IsDenied(string verb, string? resource)
    {
        lock (_gate) return resource is not null && _denied.Contains((verb, resource));
    }

    /// <summary>The fault for a request, if a rule matches (consuming one of its count).</summary>
    internal Fault? Take(string verb, string? resource, string? group)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.Match.Matches(verb, resource, group));
            if (rule is null) return null;
            if (--rule.Remaining <= 0) _rules.Remove(rule);
            return rule.Fault;
        }
    }

    private void Add(int count, FaultMatch? match, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate) _rules.Add(new Rule(match ?? FaultMatch.Any, fault) { Remaining = count });
    }

    private sealed record Rule(FaultMatch Match, Fault Fault)
    {
        public int Remaining { get; set; }
    }
}
