namespace Mesh.Hocon;

/// <summary>
/// The only exception the HOCON parser, resolver and typed getters throw on bad input. It carries the
/// place the problem was found so that an operator can go straight to the offending line.
/// </summary>
public sealed class HoconException : Exception
{
    public HoconException()
        : this("invalid HOCON configuration")
    {
    }

    public HoconException(string message)
        : this(message, (HoconOrigin?)null)
    {
    }

    public HoconException(string message, Exception? innerException)
        : this(message, null, innerException)
    {
    }

    public HoconException(string reason, HoconOrigin? origin, Exception? innerException = null)
        : base(origin is null ? reason : $"{origin}: {reason}", innerException)
    {
        Reason = reason;
        Origin = origin;
    }

    /// <summary>The problem without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>Where the problem was found, when known.</summary>
    public HoconOrigin? Origin { get; }

    /// <summary>The file (or source name) the problem is in; null for in-memory text without a name.</summary>
    public string? File => Origin?.File;

    /// <summary>1-based line, or 0 when unknown.</summary>
    public int Line => Origin?.Line ?? 0;

    /// <summary>1-based column, or 0 when unknown.</summary>
    public int Column => Origin?.Column ?? 0;
}
