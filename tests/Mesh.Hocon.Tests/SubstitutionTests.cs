namespace Mesh.Hocon.Tests;

/// <summary>Substitutions, self-references, cycles and the environment fallback (README section 7).</summary>
public class SubstitutionTests
{
    [Theory]
    [InlineData("a=1,b=${a},a=2", """{"a":2,"b":2}""")]
    [InlineData("a=${nonexistent},a=42", """{"a":42}""")]
    [InlineData("a=${a},a=42", """{"a":42}""")]
    [InlineData("a=1,a=${a}", """{"a":1}""")]
    [InlineData("a=${?a}", "{}")]
    [InlineData("a.b=1,a.b=${a.b}", """{"a":{"b":1}}""")]
    [InlineData("a={b=5},a=${a}", """{"a":{"b":5}}""")]
    [InlineData("a=1,a=${a}foo", """{"a":"1foo"}""")]
    [InlineData("a=1,b=${a},a=${b}", """{"a":1,"b":1}""")]
    [InlineData("a=1,b=${c},c=${a},a=${b}", """{"a":1,"b":1,"c":1}""")]
    [InlineData("a=${?a}foo", """{"a":"foo"}""")]
    [InlineData("a=${?b}foo,b=${?a}", """{"a":"foo","b":"foo"}""")]
    [InlineData("a=${?a}foo${?a}", """{"a":"foo"}""")]
    [InlineData("a=1,a=${?a}foo${?a}", """{"a":"1foo1"}""")]
    [InlineData("a=1,a=${a},a=2", """{"a":2}""")]
    [InlineData("a=${a},a=1,a=2", """{"a":2}""")]
    [InlineData("a=1,a=2,a=${a}", """{"a":2}""")]
    [InlineData("a={b=5},a=${a},a={c=6}", """{"a":{"b":5,"c":6}}""")]
    [InlineData("a=1,a=${a}x,a=${a}y,a=${a}z", """{"a":"1xyz"}""")]
    [InlineData("a={b={c=5}}, a=${a.b}, a={b=2}", """{"a":{"b":2,"c":5}}""")]
    [InlineData("a={b={c=5}}, a={x:${a.b}}, a={b=2}", """{"a":{"b":2,"x":2}}""")]
    [InlineData("a={x:42, y:${a.x}}", """{"a":{"x":42,"y":42}}""")]
    [InlineData("a=1, a={x:42, y:${a.x}}", """{"a":{"x":42,"y":42}}""")]
    [InlineData("bar : { foo : 42, baz : ${bar.foo} }", """{"bar":{"foo":42,"baz":42}}""")]
    [InlineData("bar : { a : ${foo.d}, b : 1 }, foo : { c : ${bar.b}, d : 2 }", """{"bar":{"a":2,"b":1},"foo":{"c":1,"d":2}}""")]
    [InlineData("{a:42, a:${?NOT_HERE}}", """{"a":42}""")]
    [InlineData("{HERE:43, a:42, a:${?HERE}}", """{"HERE":43,"a":43}""")]
    [InlineData("a=[1, ${?missing}, 3]", """{"a":[1,3]}""")]
    [InlineData("HOME=null, a=${HOME}", """{"HOME":null,"a":null}""")]
    [InlineData("n=null, a=x${n}y", """{"n":null,"a":"xnully"}""")]
    [InlineData("a=42, b=${a}", """{"a":42,"b":42}""")]
    [InlineData("a=true, b=${a}", """{"a":true,"b":true}""")]
    [InlineData("a=1.50, b=${a}", """{"a":1.50,"b":1.50}""")]
    [InlineData("a={x=1}, b=${a}, b.y=2", """{"a":{"x":1},"b":{"x":1,"y":2}}""")]
    [InlineData("a={x=1}, b=${a} {y=2}", """{"a":{"x":1},"b":{"x":1,"y":2}}""")]
    [InlineData("x={q=10}, y=5, a=1, a.q.r.s=${b}, a=${y}, a=${x}, a={c=3}, b=${x}, b=${y}", """{"x":{"q":10},"y":5,"a":{"q":10,"c":3},"b":5}""")]
    [InlineData("path = \"a:b:c\", path = ${path}\":d\"", """{"path":"a:b:c:d"}""")]
    [InlineData("path = \"a:b:c\", path = ${path} \":d\"", """{"path":"a:b:c :d"}""")]
    [InlineData("base { list = [1] }, app = ${base}, app { list += 2 }", """{"base":{"list":[1]},"app":{"list":[1,2]}}""")]
    [InlineData("\"\" { \"\" = 42 }, a = ${\"\".\"\"}", """{"":{"":42},"a":42}""")]
    [InlineData("\"a.b\" = 1, a.b = 2, x = ${\"a.b\"}, y = ${a.b}", """{"a.b":1,"a":{"b":2},"x":1,"y":2}""")]
    public void Resolves_to(string hocon, string json) => Hocon.AssertJson(hocon, json);

    [Theory]
    [InlineData("a=${a}")]
    [InlineData("a=${nonexistent},a={b:42}")]
    [InlineData("a=1,a=[${a},2]")]
    [InlineData("a=1,a={x:${a}}")]
    [InlineData("a:${b},b:${a}")]
    [InlineData("a:${b},b:${c},c:${d},d:${a}")]
    [InlineData("bar : { foo : 42, baz : ${bar} }")]
    [InlineData("a = ${missing}")]
    [InlineData("a = [1], b = x${a}")]
    [InlineData("a = {x=1}, b = x${a}")]
    [InlineData("a = [1], b = {x=1}, c = ${a} ${b}")]
    [InlineData("a = [1], b = [2], c = ${a}\"  \"${b}")]
    [InlineData("a = {x=1}, b = {y=1}, c = ${a}\" \"${b}")]
    public void Fails_to_resolve(string hocon) => Hocon.Fails(hocon);

    [Fact]
    public void A_hidden_value_is_never_evaluated()
    {
        var config = Hocon.Parse("a = ${this.would.fail}, a = 1, b = ${a}");
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void Environment_variables_are_the_fallback_and_are_strings()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/x", ["PORT"] = "8080", ["a.b"] = "dotted" };
        var config = Hocon.Parse("home = ${HOME}, port = ${PORT}, ab = ${a.b}, none = ${?NOPE}", env);
        Assert.Equal("/home/x", config.GetString("home"));
        Assert.Equal(HoconValueType.String, config.GetValue("port").Type);
        Assert.Equal(8080, config.GetInt("port"));
        Assert.Equal("dotted", config.GetString("ab"));
        Assert.False(config.HasPath("none"));
        Assert.StartsWith("environment variable PORT", config.GetValue("port").Origin.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_configuration_wins_over_the_environment_and_null_blocks_it()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/env", ["USER"] = "env-user" };
        var config = Hocon.Parse("HOME = /conf, USER = null, h = ${HOME}, u = ${USER}", env);
        Assert.Equal("/conf", config.GetString("h"));
        Assert.True(config.GetValue("u").IsNull);
    }

    [Fact]
    public void Self_reference_falls_back_to_the_environment()
    {
        var env = new Dictionary<string, string> { ["PATH"] = "/bin" };
        Assert.Equal("/bin:/opt/bin", Hocon.Parse("PATH = ${PATH}\":/opt/bin\"", env).GetString("PATH"));
    }

    [Fact]
    public void Dotted_environment_names_become_a_list()
    {
        var env = new Dictionary<string, string> { ["testList.0"] = "0", ["testList.1"] = "1" };
        var config = Hocon.Parse("a = ${testList}", env);
        Assert.Equal(["0", "1"], config.GetStringList("a"));
    }

    [Fact]
    public void Environment_fallback_can_be_switched_off()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/env" };
        var options = new HoconResolveOptions { UseEnvironment = false, Environment = env };
        Assert.Throws<HoconException>(() => HoconParser.ParseString("h = ${HOME}", resolveOptions: options));
        Assert.False(HoconParser.ParseString("h = ${?HOME}", resolveOptions: options).HasPath("h"));
    }

    [Fact]
    public void Mutual_overrides_agree()
    {
        // The spec leaves a:1,b:2,a:${b},b:${a} undefined except that both end up equal (or it fails).
        try
        {
            var config = Hocon.Parse("a:1, b:2, a:${b}, b:${a}");
            Assert.Equal(config.GetInt("a"), config.GetInt("b"));
        }
        catch (HoconException ex)
        {
            Assert.Contains("substitution", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Long_substitution_chains_resolve_or_fail_cleanly()
    {
        var text = string.Join("\n", Enumerable.Range(0, 300).Select(i => $"a{i} = ${{a{i + 1}}}")) + "\na300 = end";
        Assert.Equal("end", Hocon.Parse(text).GetString("a0"));
        var tooLong = string.Join("\n", Enumerable.Range(0, 5000).Select(i => $"a{i} = ${{a{i + 1}}}")) + "\na5000 = end";
        Assert.Throws<HoconException>(() => Hocon.Parse(tooLong));
    }
}
