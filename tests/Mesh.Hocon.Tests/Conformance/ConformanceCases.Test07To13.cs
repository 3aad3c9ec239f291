namespace Mesh.Hocon.Tests.Conformance;

/// <summary>README section 4: test07 – test13.</summary>
internal static partial class ConformanceCases
{
    private static IEnumerable<ConformanceCase> Test07To13()
    {
        const string Description = "This is to test classpath searches.";
        yield return Case("test07: include falls back to the second resource root", "A", () =>
            Assert.Equal(Description, ConformanceLoader.Load("test07").GetString("test-lib.description")));
        yield return Case("test08: '/'-prefixed include falls back to the resource root", "A", () =>
            Assert.Equal(Description, ConformanceLoader.Load("test08").GetString("test-lib.description")));
        yield return Case("test07: also when loaded as a file", "A", () =>
            Assert.Equal(Description, ConformanceLoader.ParseFile(ConformanceFolder.Resource("test07.conf")).GetString("test-lib.description")));

        var t09 = Lazy(() => ConformanceLoader.Load("test09"));
        yield return Case("test09: a.c is 3", "A", () => Assert.Equal(3, t09.Value.GetInt("a.c")));
        yield return Case("test09: a.q is 10 and the hidden a.q.r.s is never evaluated", "A", () =>
        {
            Assert.Equal(10, t09.Value.GetInt("a.q"));
            Assert.Equal(["c", "q"], t09.Value.GetObject("a").Keys.Order(StringComparer.Ordinal));
        });
        yield return Case("test09: b is 5", "A", () => Assert.Equal(5, t09.Value.GetInt("b")));
        yield return Case("test09: c.d, c.e.c, c.e.q, c.f, c.q, x.q, y", "D", () =>
        {
            Assert.Equal(600, t09.Value.GetInt("c.d"));
            Assert.Equal(3, t09.Value.GetInt("c.e.c"));
            Assert.Equal(10, t09.Value.GetInt("c.e.q"));
            Assert.Equal(5, t09.Value.GetInt("c.f"));
            Assert.Equal(10, t09.Value.GetInt("c.q"));
            Assert.Equal(10, t09.Value.GetInt("x.q"));
            Assert.Equal(5, t09.Value.GetInt("y"));
        });

        var t10 = Lazy(() => ConformanceLoader.Load("test10"));
        yield return Case("test10: foo.a.c, foo.b, foo.a.q", "A", () =>
        {
            Assert.Equal(3, t10.Value.GetInt("foo.a.c"));
            Assert.Equal(5, t10.Value.GetInt("foo.b"));
            Assert.Equal(10, t10.Value.GetInt("foo.a.q"));
        });
        yield return Case("test10: bar.nested.a.c, bar.nested.b, bar.nested.a.q", "A", () =>
        {
            Assert.Equal(3, t10.Value.GetInt("bar.nested.a.c"));
            Assert.Equal(5, t10.Value.GetInt("bar.nested.b"));
            Assert.Equal(10, t10.Value.GetInt("bar.nested.a.q"));
        });

        var t11 = Lazy(() => ConformanceLoader.Load("test11"));
        yield return Case("test11: quoted number-like keys hold strings", "D", () =>
        {
            Assert.Equal("42", t11.Value.GetString("\"10\""));
            Assert.Equal(HoconValueType.String, t11.Value.GetValue("\"10\"").Type);
            Assert.Equal("-42", t11.Value.GetString("\"-10\""));
        });
        yield return Case("test11: '-' inside unquoted text", "D", () =>
        {
            Assert.Equal("bar-baz", t11.Value.GetString("foo-bar"));
            Assert.Equal("------", t11.Value.GetString("\"---\""));
            Assert.Equal("b-", t11.Value.GetString("a-"));
        });

        var t12 = Lazy(() => ConformanceLoader.Load("test12"));
        yield return Case("test12: 39 number-like keys stay string keys with the string 42", "D", () =>
        {
            var numeric = t12.Value.Where(field => field.Key != "sth").ToList();
            Assert.Equal(39, numeric.Count);
            Assert.All(numeric, field => Assert.Equal("\"42\"", field.Value.ToString()));
            Assert.Contains(numeric, field => field.Key.Length > 19);
        });
        yield return Case("test12: sth is the number 42", "D", () => Assert.Equal("42", t12.Value["sth"].ToString()));

        yield return Case("test13: the reference resolves on its own", "A", () =>
            Assert.Equal("b", ConformanceLoader.ParseFile(ConformanceFolder.Resource("test13-reference-with-substitutions.conf")).GetString("a")));
        yield return Case("test13: the application overrides a substitution of the unresolved reference", "A", () =>
            Assert.Equal("overridden", ConformanceLoader.Layered("test13-reference-with-substitutions.conf", "test13-application-override-substitutions.conf").GetString("a")));
        yield return Case("test13: a reference must resolve independently", "A", () =>
            Assert.Throws<HoconException>(() => ConformanceLoader.ParseFile(ConformanceFolder.Resource("test13-reference-bad-substitutions.conf"))));
    }
}
