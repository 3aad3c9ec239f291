namespace Mesh.Deploy.Cluster;

/// <summary>How long each wait of a command may take (<c>--timeout</c>, as Helm's: per wait), and how often it looks.</summary>
internal sealed record WaitSettings(TimeSpan Timeout, TimeSpan Interval)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static WaitSettings Default { get; } = new(DefaultTimeout, TimeSpan.FromMilliseconds(500));
}
