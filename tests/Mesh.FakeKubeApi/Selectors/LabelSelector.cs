namespace Mesh.FakeKubeApi.Selectors;

/// <summary>
/// A label selector as the API takes it in <c>labelSelector</c>: comma-separated requirements, each
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> (exists) or <c>!k</c>.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return _requirements.All(r => r.Matches(labels));
    }

    /// <exception cref="ApiException">400 for a selector that does not parse.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) throw Invalid(text);
            requirements.Add(ParseRequirement(p, text));
        }
        return new LabelSelector(requirements);
    }

    private static Requirement ParseRequirement(string p, string whole)
    {
        if (p.StartsWith('!')) return new Requirement(Key(p[1..], whole), Op.NotExists, []);
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var i = p.IndexOf(token, StringComparison.Ordinal);
            if (i > 0) return new Requirement(Key(p[..i], whole), op, [p[(i + token.Length)..].Trim()]);
        }
        var words = p.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 1) return new Requirement(Key(words[0], whole), Op.Exists, []);
        var rest = words[1];
        var setOp = rest.StartsWith("notin", StringComparison.Ordinal) ? Op.NotIn : rest.StartsWith("in", StringComparison.Ordinal) ? Op.In : throw Invalid(whole);
        var set = rest[(setOp == Op.NotIn ? 5 : 2)..].Trim();
        if (!set.StartsWith('(') || !set.EndsWith(')')) throw Invalid(whole);
        var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries).ToList();
        return new Requirement(Key(words[0], whole), setOp, values);
    }

    private static string Key(string key, string whole)
    {
        key = key.Trim();
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '=' or '!')) throw Invalid(whole);
        return key;
    }

    /// <summary>Splits on commas outside parentheses.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static ApiException Invalid(string text) => ApiException.BadRequest($"unable to parse requirement: invalid label selector \"{text}\"");

    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        NotExists,
    }

    private sealed record Requirement(string Key, Op Op, List<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Op.Equals => has && value == Values[0],
                Op.NotEquals => !has || value != Values[0],
                Op.In => has && Values.Contains(value!),
                Op.NotIn => !has || !Values.Contains(value!),
                Op.Exists => has,
                _ => !has,
            };
        }
    }
}
