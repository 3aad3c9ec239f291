namespace Mesh.Deploy.Cluster;

/// <summary>What a command did to one object.</summary>
internal enum ObjectOutcome
{
    Created,

    /// <summary>Applied, and the server stored a change.</summary>
    Updated,

    /// <summary>Applied, and the server had it already: no write.</summary>
    Unchanged,

    /// <summary>Exists and is left as it is on purpose (the MeshConfig after install, the namespace at uninstall).</summary>
    Kept,

    Deleted,

    /// <summary>Nothing to delete.</summary>
    Absent,
}

/// <summary>One line of a command's report: the object, what was done, and why when it is not obvious.</summary>
internal sealed record ObjectResult(ObjectRef Object, ObjectOutcome Outcome, string? Note = null)
{
    public override string ToString()
    {
        var what = Outcome.ToString().ToLowerInvariant();
        return Note is null ? $"{Object} {what}" : $"{Object} {what}: {Note}";
    }
}
