using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Http;

/// <summary>
/// A list's continue token: the snapshot's resourceVersion and the key of the last item sent. Opaque to clients
/// (base64url JSON), as the real ones are.
/// </summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey)
    {
        var json = new JsonObject { ["rv"] = resourceVersion, ["start"] = lastKey }.ToJsonString();
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
    }

    public static (long ResourceVersion, string LastKey) Decode(string token)
    {
        try
        {
            var o = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token))) as JsonObject;
            return (o!["rv"]!.GetValue<long>(), o["start"]!.GetValue<string>());
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid");
        }
    }
}
