using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Storage;

namespace Mesh.FakeKubeApi.Selectors;

/// <summary>
/// A field selector as the API takes it for every resource: <c>metadata.name</c> and <c>metadata.namespace</c>
/// with <c>=</c>, <c>==</c> or <c>!=</c>, comma-separated. Other fields are refused with 400, as the server refuses
/// fields a resource does not index.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool Matches(JsonObject o)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = field == "metadata.name" ? ObjectMeta.Name(o) : ObjectMeta.Namespace(o);
            if ((actual == value) != equal) return false;
        }
        return true;
    }

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (op, equal) = part.Contains("!=", StringComparison.Ordinal) ? ("!=", false) : part.Contains("==", StringComparison.Ordinal) ? ("==", true) : ("=", true);
            var i = part.IndexOf(op, StringComparison.Ordinal);
            if (i <= 0) throw ApiException.BadRequest($"invalid field selector \"{text}\"");
            var field = part[..i].Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }
            terms.Add((field, equal, part[(i + op.Length)..].Trim()));
        }
        return new FieldSelector(terms);
    }
}
