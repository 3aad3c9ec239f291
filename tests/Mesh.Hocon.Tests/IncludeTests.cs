namespace Mesh.Hocon.Tests;

/// <summary>Includes: forms, lookup rules, merging, fix-ups and errors.</summary>
public sealed class IncludeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HoconObject ParseFile(string name, HoconParseOptions? options = null) =>
        HoconParser.ParseFile(Path.Combine(_dir.Path, name), HoconResolveOptions.NoEnvironment, options ?? new HoconParseOptions { WorkingDirectory = _dir.Path });

    [Fact]
    public void Fields_after_an_include_override_it_and_fields_before_are_overridden()
    {
        _dir.Write("inc.conf", "a = included, b = included, o { x = 1 }");
        _dir.Write("main.conf", "a = before\ninclude \"inc.conf\"\nb = after\no { y = 2 }");
        var config = ParseFile("main.conf");
        Assert.Equal(("included", "after"), (config.GetString("a"), config.GetString("b")));
        Assert.Equal("{\"x\":1,\"y\":2}", config.GetObject("o").ToString());
    }

    [Fact]
    public void A_basename_loads_all_three_syntaxes_with_conf_winning()
    {
        _dir.Write("base.properties", "p = props\nall = props");
        _dir.Write("base.json", """{ "j": "json", "all": "json" }""");
        _dir.Write("base.conf", "c = conf, all = conf");
        _dir.Write("main.conf", "include \"base\"");
        var config = ParseFile("main.conf");
        Assert.Equal(("props", "json", "conf", "conf"), (config.GetString("p"), config.GetString("j"), config.GetString("c"), config.GetString("all")));
    }

    [Fact]
    public void Nested_includes_are_relative_to_the_including_file()
    {
        _dir.Write("sub/inner/leaf.conf", "leaf = 1");
        _dir.Write("sub/mid.conf", "include \"inner/leaf.conf\"\nmid = 2");
        _dir.Write("main.conf", "x { include \"sub/mid.conf\" }");
        Assert.Equal("{\"leaf\":1,\"mid\":2}", ParseFile("main.conf").GetObject("x").ToString());
    }

    [Fact]
    public void Substitutions_in_an_included_file_are_relative_to_the_include_point_first()
    {
        _dir.Write("inc.conf", "local = 1, a = ${local}, b = ${top}, list += x");
        _dir.Write("main.conf", "top = 2, sub { list = [w], include \"inc.conf\" }");
        var config = ParseFile("main.conf");
        Assert.Equal((1, 2), (config.GetInt("sub.a"), config.GetInt("sub.b")));
        Assert.Equal(["w", "x"], config.GetStringList("sub.list"));
    }

    [Fact]
    public void An_include_inside_a_list_element_is_anchored_to_that_element()
    {
        _dir.Write("item.conf", "name = one, label = ${name}\"!\"");
        _dir.Write("main.conf", "items = [ { include \"item.conf\" } ]");
        var item = Assert.Single(ParseFile("main.conf").GetList("items")).AsObject();
        Assert.Equal("one!", item.GetString("label"));
    }

    [Fact]
    public void File_includes_are_relative_to_the_working_directory()
    {
        _dir.Write("cwd/f.conf", "f = 1");
        _dir.Write("conf/main.conf", "include file(\"f.conf\")");
        var found = ParseFile("conf/main.conf", new HoconParseOptions { WorkingDirectory = Path.Combine(_dir.Path, "cwd") });
        Assert.Equal(1, found.GetInt("f"));
        var missing = ParseFile("conf/main.conf", new HoconParseOptions { WorkingDirectory = Path.Combine(_dir.Path, "conf") });
        Assert.False(missing.HasPath("f"));
    }

    [Fact]
    public void Classpath_includes_use_the_resource_roots_or_the_including_directory()
    {
        _dir.Write("roots/r1/lib.conf", "lib = first");
        _dir.Write("roots/r2/lib.conf", "lib = second");
        _dir.Write("roots/r2/only2.conf", "only2 = yes");
        _dir.Write("app/lib.conf", "lib = local");
        _dir.Write("app/main.conf", "include classpath(\"lib.conf\")\ninclude classpath(\"/only2.conf\")");
        var roots = new HoconParseOptions { ResourceRoots = [Path.Combine(_dir.Path, "roots/r1"), Path.Combine(_dir.Path, "roots/r2")] };
        var withRoots = ParseFile("app/main.conf", roots);
        Assert.Equal(("first", "yes"), (withRoots.GetString("lib"), withRoots.GetString("only2")));
        Assert.Equal("local", ParseFile("app/main.conf", new HoconParseOptions()).GetString("lib"));
    }

    [Fact]
    public void Required_includes_must_exist()
    {
        _dir.Write("there.conf", "x = 1");
        _dir.Write("ok.conf", "include required(\"there.conf\")\ninclude required(file(\"there.conf\"))");
        Assert.Equal(1, ParseFile("ok.conf").GetInt("x"));
        _dir.Write("bad.conf", "a = 1\ninclude required(\"missing.conf\")");
        var error = Assert.Throws<HoconException>(() => ParseFile("bad.conf"));
        Assert.Equal((2, 18), (error.Line, error.Column));
        Assert.EndsWith("bad.conf", error.File, StringComparison.Ordinal);
        Assert.Contains("missing.conf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_includes_are_reported_as_unsupported()
    {
        _dir.Write("main.conf", "include url(\"https://example.com/x.conf\")");
        Assert.Contains("url() includes are not supported", Assert.Throws<HoconException>(() => ParseFile("main.conf")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_cycles_stop_with_an_error()
    {
        _dir.Write("a.conf", "include \"b.conf\"");
        _dir.Write("b.conf", "include \"a.conf\"");
        Assert.Contains("nested more than 50 times", Assert.Throws<HoconException>(() => ParseFile("a.conf")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_in_included_files_name_that_file()
    {
        _dir.Write("broken.conf", "ok = 1\nbad = [");
        _dir.Write("main.conf", "include \"broken.conf\"");
        var error = Assert.Throws<HoconException>(() => ParseFile("main.conf"));
        Assert.EndsWith("broken.conf", error.File, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Json_includes_are_strict()
    {
        _dir.Write("loose.json", "{ a: 1 }");
        _dir.Write("root-array.json", "[1]");
        _dir.Write("main.conf", "include \"loose.json\"");
        _dir.Write("main2.conf", "include \"root-array.json\"");
        Assert.Contains("invalid JSON", Assert.Throws<HoconException>(() => ParseFile("main.conf")).Message, StringComparison.Ordinal);
        Assert.Throws<HoconException>(() => ParseFile("main2.conf"));
    }

    [Fact]
    public void Strings_resolve_heuristic_includes_against_the_base_directory()
    {
        _dir.Write("x.conf", "x = 1");
        var options = new HoconParseOptions { BaseDirectory = _dir.Path };
        Assert.Equal(1, HoconParser.ParseString("include \"x\"", parseOptions: options, resolveOptions: HoconResolveOptions.NoEnvironment).GetInt("x"));
    }

    [Fact]
    public void Several_files_layer_like_reference_and_application()
    {
        var reference = _dir.Write("reference.conf", "a = ${b}, b = reference, keep = 1");
        var application = _dir.Write("application.conf", "b = application");
        var config = HoconParser.ParseFiles([reference, application, Path.Combine(_dir.Path, "absent.conf")], skipMissing: true, HoconResolveOptions.NoEnvironment);
        Assert.Equal(("application", 1), (config.GetString("a"), config.GetInt("keep")));
        Assert.Throws<HoconException>(() => HoconParser.ParseFiles([Path.Combine(_dir.Path, "absent.conf")]));
    }
}
