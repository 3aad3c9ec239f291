using System.Text.Json;
using Mesh.Hocon.Tests.Conformance;

namespace Mesh.Hocon.Tests;

/// <summary>Shorthands for tests: parse without consulting the real environment.</summary>
internal static class Hocon
{
    public static HoconObject Parse(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        HoconParser.ParseString(
            text,
            "test.conf",
            environment is null ? HoconResolveOptions.NoEnvironment : new HoconResolveOptions { Environment = environment });

    /// <summary>Asserts the resolved document equals the JSON (key order ignored, numbers by value).</summary>
    public static void AssertJson(string text, string expectedJson, IReadOnlyDictionary<string, string>? environment = null)
    {
        var actual = Parse(text, environment);
        using var expected = JsonDocument.Parse(expectedJson);
        var difference = JsonComparison.Difference(actual, expected.RootElement);
        Assert.True(difference is null, $"{difference}\n  document: {text}\n  resolved: {actual}");
    }

    public static HoconException Fails(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<HoconException>(() => Parse(text, environment));
}
