namespace Mesh.Policy.Model;

/// <summary>A workload identity: the ServiceAccount <c>namespace/name</c> a proxy serves.</summary>
public readonly record struct ServiceAccountIdentity(string Namespace, string Name)
{
    public static ServiceAccountIdentity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"identity '{text}' must be NAMESPACE/SERVICEACCOUNT");
        }
        return new ServiceAccountIdentity(text[..slash], text[(slash + 1)..]);
    }

    public static IComparer<ServiceAccountIdentity> Order { get; } = Comparer<ServiceAccountIdentity>.Create(
        static (a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));

    public override string ToString() => $"{Namespace}/{Name}";
}
