namespace Mesh.Actors;

/// <summary>Per-actor settings, chosen by whoever spawns the actor (the parent decides how its children are supervised).</summary>
public sealed record ActorOptions
{
    public static ActorOptions Default { get; } = new();

    /// <summary>Mailbox bound; a full mailbox behaves as <see cref="FullMode"/> says.</summary>
    public int MailboxCapacity { get; init; } = 1024;

    public MailboxFullMode FullMode { get; init; } = MailboxFullMode.DropNewest;

    public SupervisionOptions Supervision { get; init; } = new();

    internal void Validate()
    {
        if (MailboxCapacity < 1)
            throw new ArgumentException("MailboxCapacity must be at least 1.");
        Supervision.Validate();
    }
}
