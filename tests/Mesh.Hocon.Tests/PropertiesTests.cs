namespace Mesh.Hocon.Tests;

/// <summary>Java .properties files as the spec maps them.</summary>
public sealed class PropertiesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HoconObject Parse(string content) =>
        HoconParser.ParseFile(_dir.Write("x.properties", content), HoconResolveOptions.NoEnvironment);

    [Theory]
    [InlineData("a.b=1", """{"a":{"b":"1"}}""")]
    [InlineData("a.b = 1\na.c : two\na.d three", """{"a":{"b":"1","c":"two","d":"three"}}""")]
    [InlineData("# comment\n! also\n  x=1", """{"x":"1"}""")]
    [InlineData("a=1\na.b=2", """{"a":{"b":"2"}}""")]
    [InlineData("a.b=2\na=1", """{"a":{"b":"2"}}""")]
    [InlineData("a..b=1", """{"a":{"":{"b":"1"}}}""")]
    [InlineData("s=hello^^ ${not} [a substitution]", """{"s":"hello^^ ${not} [a substitution]"}""")]
    [InlineData("long=one \\\n    two", """{"long":"one two"}""")]
    [InlineData("k\\:ey=\\u0041\\tb", """{"k:ey":"A\tb"}""")]
    [InlineData("b=true\nn=42", """{"b":"true","n":"42"}""")]
    public void Maps_to(string properties, string json)
    {
        using var expected = System.Text.Json.JsonDocument.Parse(json);
        var actual = Parse(properties);
        Assert.Null(Conformance.JsonComparison.Difference(actual, expected.RootElement));
    }

    [Fact]
    public void Numeric_keys_convert_to_a_list_and_accept_appends()
    {
        var props = _dir.Write("list.properties", "items.0=a\nitems.1=b\nitems.10=d\nitems.2=c\nitems.x=ignored");
        _dir.Write("main.conf", "include \"list.properties\"\nitems += e\ncopy = ${items}");
        var config = HoconParser.ParseFile(Path.Combine(_dir.Path, "main.conf"), HoconResolveOptions.NoEnvironment);
        Assert.Equal(["a", "b", "c", "d", "e"], config.GetStringList("items"));
        Assert.Equal(["a", "b", "c", "d"], HoconParser.ParseFile(props).GetStringList("items"));
    }
}
