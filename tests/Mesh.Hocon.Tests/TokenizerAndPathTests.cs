namespace Mesh.Hocon.Tests;

/// <summary>Strings, escapes, numbers, comments and path expressions (README section 7).</summary>
public class TokenizerAndPathTests
{
    [Theory]
    [InlineData("""a = "\"" """, "\"")]
    [InlineData("""a = "\\" """, "\\")]
    [InlineData("""a = "\/" """, "/")]
    [InlineData("""a = "\b\f\n\r\t" """, "\b\f\n\r\t")]
    [InlineData("""a = "\u0041\u00e9" """, "A\u00e9")]
    [InlineData("""a = "\u0000" """, "\0")]
    [InlineData("a = \"\"\"\"\"\"", "")]
    [InlineData("a = \"\"\"no \\n escapes\"\"\"", "no \\n escapes")]
    [InlineData("a = \"\"\"line1\nline2\"\"\"", "line1\nline2")]
    [InlineData("a = \"\"\"x\"\"\"\"", "x\"")]
    [InlineData("a = \"\"\"\"x\"\"\"", "\"x")]
    [InlineData("a = \"\"\"foo\"\"bar\"\"\"", "foo\"\"bar")]
    [InlineData("a = \"\"\"\"\"\"\"\"", "\"\"")]
    [InlineData("a = \"// not a comment\"", "// not a comment")]
    [InlineData("a = \"# not a comment\"", "# not a comment")]
    [InlineData("a = bar//c", "bar")]
    [InlineData("a = bar#c", "bar")]
    [InlineData("a = foo-bar.baz_1", "foo-bar.baz_1")]
    [InlineData("a = 'x'", "'x'")]
    public void Reads_strings(string hocon, string expected) => Assert.Equal(expected, Hocon.Parse(hocon).GetString("a"));

    [Theory]
    [InlineData("a = 1e6", HoconValueType.Number, "1e6")]
    [InlineData("a = 1E-6", HoconValueType.Number, "1E-6")]
    [InlineData("a = -1.2", HoconValueType.Number, "-1.2")]
    [InlineData("a = .33", HoconValueType.String, ".33")]
    [InlineData("a = 1.", HoconValueType.String, "1.")]
    [InlineData("a = -", HoconValueType.String, "-")]
    [InlineData("a = true", HoconValueType.Boolean, "true")]
    [InlineData("a = truex", HoconValueType.String, "truex")]
    [InlineData("a = null", HoconValueType.Null, "null")]
    [InlineData("a = \"42\"", HoconValueType.String, "42")]
    public void Classifies_values(string hocon, HoconValueType type, string text)
    {
        var value = Assert.IsType<HoconScalar>(Hocon.Parse(hocon)["a"]);
        Assert.Equal((type, text), (value.Type, value.Text));
    }

    [Fact]
    public void A_comment_keeps_a_carriage_return_out_of_the_value()
    {
        Assert.Equal(1, Hocon.Parse("a = 1 // comment\r\nb = 2\r\n").GetInt("a"));
        Assert.Equal(2, Hocon.Parse("a = 1 // comment\r\nb = 2\r\n").GetInt("b"));
    }

    [Theory]
    [InlineData("a.b", new[] { "a", "b" })]
    [InlineData("\"a.b\"", new[] { "a.b" })]
    [InlineData("3.14", new[] { "3", "14" })]
    [InlineData("1.2.3.4", new[] { "1", "2", "3", "4" })]
    [InlineData("10.0foo", new[] { "10", "0foo" })]
    [InlineData("foo10.0", new[] { "foo10", "0" })]
    [InlineData("a.\"\".b", new[] { "a", "", "b" })]
    [InlineData("-", new[] { "-" })]
    [InlineData("-foo", new[] { "-foo" })]
    [InlineData("-10", new[] { "-10" })]
    [InlineData(" a .b", new[] { "a ", "b" })]
    [InlineData("a.\"b c\".d", new[] { "a", "b c", "d" })]
    [InlineData("true.null", new[] { "true", "null" })]
    public void Parses_paths(string path, string[] keys) => Assert.Equal(keys, HoconPath.Parse(path));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a.")]
    [InlineData(".b")]
    [InlineData("a..b")]
    [InlineData("\"\".")]
    [InlineData(".\"\"")]
    [InlineData("${a}")]
    [InlineData("a{b}")]
    public void Rejects_bad_paths(string path) => Assert.Throws<HoconException>(() => HoconPath.Parse(path));

    [Theory]
    [InlineData(new[] { "a", "b" }, "a.b")]
    [InlineData(new[] { "a.b" }, "\"a.b\"")]
    [InlineData(new[] { "" }, "\"\"")]
    [InlineData(new[] { "a b", "c" }, "\"a b\".c")]
    public void Renders_paths_that_read_back(string[] keys, string rendered)
    {
        Assert.Equal(rendered, HoconPath.Render(keys));
        Assert.Equal(keys, HoconPath.Parse(rendered));
    }
}
