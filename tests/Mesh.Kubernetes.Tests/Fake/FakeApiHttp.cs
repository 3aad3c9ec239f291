using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Tests.Fake;

/// <summary>Raw HTTP against the fake, to check its wire behaviour without a client library in between.</summary>
internal sealed class FakeApiHttp(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Opens a watch and reads lines until <paramref name="count"/> events came or the stream ended.</summary>
    public async Task<List<JsonObject>> WatchAsync(string path, int count, TimeSpan? within = null)
    {
        using var cts = new CancellationTokenSource(TestTime.Dilate(within ?? TimeSpan.FromSeconds(10)));
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<JsonObject>();
        while (events.Count < count && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            events.Add((JsonObject)JsonNode.Parse(line)!);
        }
        return events;
    }

    public void Dispose() => _http.Dispose();
}
