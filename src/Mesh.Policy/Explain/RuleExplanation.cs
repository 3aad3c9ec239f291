using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Explain;

/// <summary>How one rule took part in a decision.</summary>
public enum RuleOutcome
{
    /// <summary>This rule decided.</summary>
    Decided,

    /// <summary>It would apply, but an earlier step or a more specific rule decided first.</summary>
    Shadowed,

    /// <summary>It does not apply; the reason says which check failed.</summary>
    NotApplicable,

    /// <summary>It is limited to address ranges and no destination address was given.</summary>
    Unchecked,
}

/// <summary>One candidate rule and why it did or did not decide.</summary>
public sealed record RuleExplanation(RuleRef Rule, RuleOutcome Outcome, string Reason)
{
    public override string ToString() => $"{Rule}: {Outcome}: {Reason}";
}
