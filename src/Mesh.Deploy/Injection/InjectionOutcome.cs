namespace Mesh.Deploy.Injection;

/// <summary>What injection did with one pod (template).</summary>
internal enum InjectionVerdict
{
    Injected,

    /// <summary>It already has the containers: nothing to do (injecting twice changes nothing).</summary>
    AlreadyInjected,

    /// <summary>Its <c>sidecar-injection</c> annotation says disabled.</summary>
    OptedOut,

    /// <summary>It cannot be intercepted (host network: the rules would land in the node's namespace).</summary>
    Skipped,
}

/// <summary>The verdict, why, and the changes to make (empty unless <see cref="InjectionVerdict.Injected"/>).</summary>
internal sealed record InjectionOutcome(InjectionVerdict Verdict, string Reason, PodChanges Changes)
{
    public static InjectionOutcome Unchanged(InjectionVerdict verdict, string reason) => new(verdict, reason, PodChanges.None);
}
