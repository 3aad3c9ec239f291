using System.Text;
using System.Text.Json;

namespace Mesh.Hocon;

/// <summary>
/// .json files are strict JSON (spec "Includes": no comments, unquoted text or substitutions). The
/// runtime's JSON reader checks that; the root must be an object because it is merged like one.
/// </summary>
internal static class JsonSyntaxCheck
{
    public static void Validate(string text, string? origin)
    {
        var options = new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 200 };
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF')), options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HoconException("the root of a JSON configuration file must be an object", new HoconOrigin(origin, 1, 1));
            }
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            throw new HoconException($"invalid JSON: {ex.Message}", new HoconOrigin(origin, line, column), ex);
        }
    }
}
