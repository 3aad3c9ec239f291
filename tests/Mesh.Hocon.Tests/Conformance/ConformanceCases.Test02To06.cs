namespace Mesh.Hocon.Tests.Conformance;

/// <summary>README section 4: test02 – test06.</summary>
internal static partial class ConformanceCases
{
    private static IEnumerable<ConformanceCase> Test02To06()
    {
        var t02 = Lazy(() => ConformanceLoader.Load("test02"));
        yield return Case("test02: 42_a via ${\"\".\"\".\"\"}", "A", () => Assert.Equal(42, t02.Value.GetInt("42_a")));
        yield return Case("test02: 42_b with whitespace inside ${ }", "A", () => Assert.Equal(42, t02.Value.GetInt("42_b")));
        yield return Case("test02: 57_a and 57_b", "A", () =>
        {
            Assert.Equal(57, t02.Value.GetInt("57_a"));
            Assert.Equal(57, t02.Value.GetInt("57_b"));
        });
        yield return Case("test02: 103_a via the quoted key \"a.b.c\"", "A", () => Assert.Equal(103, t02.Value.GetInt("103_a")));
        yield return Case("test02: lookup of \"\".\"\".\"\"", "A", () => Assert.Equal(42, t02.Value.GetInt("\"\".\"\".\"\"")));
        yield return Case("test02: lookups a.b.c, \"a\".\"b\".\"c\", \"a.b.c\"", "A", () =>
        {
            Assert.Equal(57, t02.Value.GetInt("a.b.c"));
            Assert.Equal(57, t02.Value.GetInt("\"a\".\"b\".\"c\""));
            Assert.Equal(103, t02.Value.GetInt("\"a.b.c\""));
        });
        yield return Case("test02: a-c, a_c and \"-\"", "D", () =>
        {
            Assert.Equal(259, t02.Value.GetInt("a-c"));
            Assert.Equal(260, t02.Value.GetInt("a_c"));
            Assert.Equal(261, t02.Value.GetInt("\"-\""));
        });

        var t03 = Lazy(() => ConformanceLoader.Load("test03", ConformanceLoader.FakeSystem));
        HoconObject C3() => t03.Value;
        yield return Case("test03: test01.ints.fortyTwo replaces the earlier \"ints\" : 12", "A", () => Assert.Equal(42, C3().GetInt("test01.ints.fortyTwo")));
        yield return Case("test03: test01.booleans after the include overrides it", "A", () => Assert.Equal(42, C3().GetInt("test01.booleans")));
        yield return Case("test03: basename include pulls in .properties and .json", "A", () =>
        {
            Assert.Equal("abc", C3().GetString("test01.fromProps.abc"));
            Assert.Equal("A", C3().GetString("test01.fromJsonA"));
        });
        yield return Case("test03: test02.a.b.c and test02.103_a", "A", () =>
        {
            Assert.Equal(57, C3().GetInt("test02.a.b.c"));
            Assert.Equal(103, C3().GetInt("test02.103_a"));
        });
        yield return Case("test03: equiv01.strings.a from equiv01/original.json", "A", () => Assert.Equal("a", C3().GetString("equiv01.strings.a")));
        yield return Case("test03: ${ints.fortyTwo} in the included file is fixed up", "A", () => Assert.Equal(42, C3().GetInt("test01.ints.fortyTwoAgain")));
        yield return Case("test03: test01.arrays.ofString", "A", () => Assert.Equal(["a", "b", "c"], C3().GetStringList("test01.arrays.ofString")));
        yield return Case("test03: fixed-up optional substitutions fall back to the root path and the system", "A", () =>
        {
            Assert.Equal("21.0.2", C3().GetString("test01.system.javaversion"));
            Assert.Equal("/home/mesh", C3().GetString("test01.system.home"));
        });
        yield return Case("test03: a comes from the included file's foo", "A", () => Assert.Equal("This is in the included file", C3().GetString("a")));
        yield return Case("test03: b comes from the including file's bar", "A", () => Assert.Equal("This is in the including file", C3().GetString("b")));
        yield return Case("test03: subtree.a is subtree.foo", "A", () => Assert.Equal("This is in the included file", C3().GetString("subtree.a")));
        yield return Case("test03: subtree.b falls back to the root bar", "A", () => Assert.Equal("This is in the including file", C3().GetString("subtree.b")));
        yield return Case("test03: root foo is the included value", "A", () => Assert.Equal("This is in the included file", C3().GetString("foo")));
        yield return Case("test03: nonexistent is an empty object (missing includes ignored)", "D", () => Assert.Empty(C3().GetObject("nonexistent")));
        yield return Case("test03: parsing the file itself (required) succeeds with missing nested includes", "A", () =>
            Assert.Equal(42, HoconParser.ParseFile(ConformanceFolder.Resource("test03.conf"), HoconResolveOptions.NoEnvironment, ConformanceLoader.ParseOptions).GetInt("test01.ints.fortyTwo")));

        var t04 = Lazy(() => ConformanceLoader.Load("test04"));
        yield return Case("test04: akka.version", "A", () => Assert.Equal("2.0-SNAPSHOT", t04.Value.GetString("akka.version")));
        yield return Case("test04: akka.event-handler-dispatcher.max-pool-size", "A", () => Assert.Equal(8, t04.Value.GetInt("akka.event-handler-dispatcher.max-pool-size")));
        yield return Case("test04: quoted key with '/'", "A", () => Assert.Equal("round-robin", t04.Value.GetString("akka.actor.deployment.\"/app/service-ping\".router")));
        yield return Case("test04: akka.stm.quick-release", "A", () => Assert.True(t04.Value.GetBoolean("akka.stm.quick-release")));

        var t05 = Lazy(() => ConformanceLoader.Load("test05"));
        yield return Case("test05: %prod.application.mode", "A", () => Assert.Equal("prod", t05.Value.GetString("%prod.application.mode")));
        yield return Case("test05: blog.title", "A", () => Assert.Equal("Yet another blog", t05.Value.GetString("blog.title")));
        yield return Case("test05: application.name and application.mode", "D", () =>
        {
            Assert.Equal("Yet Another Blog Engine", t05.Value.GetString("application.name"));
            Assert.Equal("dev", t05.Value.GetString("application.mode"));
        });
        yield return Case("test05: module.crud / module.secure with an undefined optional prefix", "D", () =>
        {
            Assert.Equal("/modules/crud", t05.Value.GetString("module.crud"));
            Assert.Equal("/modules/secure", t05.Value.GetString("module.secure"));
        });
        yield return Case("test05: db, jpa.ddl, mail.smtp, application.log", "D", () =>
        {
            Assert.Equal("mem", t05.Value.GetString("db"));
            Assert.Equal("update", t05.Value.GetString("jpa.ddl"));
            Assert.Equal("mock", t05.Value.GetString("mail.smtp"));
            Assert.Equal("INFO", t05.Value.GetString("application.log"));
        });
        yield return Case("test05: %test.db and %test.jpa.ddl", "D", () =>
        {
            Assert.Equal("mem", t05.Value.GetString("%test.db"));
            Assert.Equal("create-drop", t05.Value.GetString("%test.jpa.ddl"));
        });

        var t06 = Lazy(() => ConformanceLoader.Load("test06"));
        yield return Case("test06: x is 2", "A", () => Assert.Equal(2, t06.Value.GetInt("x")));
        yield return Case("test06: y.foo is 10 (object merged over a substitution)", "A", () => Assert.Equal(10, t06.Value.GetInt("y.foo")));
        yield return Case("test06: y.hello is world", "A", () => Assert.Equal("world", t06.Value.GetString("y.hello")));
    }
}
