namespace Mesh.Hocon.Tests;

/// <summary>Typed getters, conversions, leaf enumeration and origins on the resolved model.</summary>
public class TypedGetterTests
{
    private static readonly HoconObject Config = Hocon.Parse("""
        server {
          port = 8080
          host = "example.org"
          ratio = 0.75
          enabled = yes
          off-switch = off
          timeout = 250ms
          buffer = 4 KiB
          tags = [a, b]
          indexed { "1" = second, "0" = first }
          nothing = null
          "dotted.key" = 1
          big = 9223372036854775807
          huge = 92233720368547758070
          fraction = 1.5
        }
        """);

    [Fact]
    public void Reads_typed_values()
    {
        Assert.Equal(8080, Config.GetInt("server.port"));
        Assert.Equal(8080L, Config.GetLong("server.port"));
        Assert.Equal("8080", Config.GetString("server.port"));
        Assert.Equal("example.org", Config.GetString("server.host"));
        Assert.Equal(0.75, Config.GetDouble("server.ratio"));
        Assert.True(Config.GetBoolean("server.enabled"));
        Assert.False(Config.GetBoolean("server.off-switch"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), Config.GetDuration("server.timeout"));
        Assert.Equal(4096L, Config.GetBytes("server.buffer"));
        Assert.Equal(["a", "b"], Config.GetStringList("server.tags"));
        Assert.Equal(["first", "second"], Config.GetStringList("server.indexed"));
        Assert.Equal(1, Config.GetInt("server.\"dotted.key\""));
        Assert.Equal(long.MaxValue, Config.GetLong("server.big"));
        Assert.Equal(4, Config.GetObject("server").GetObject("indexed").Count + 2);
    }

    [Theory]
    [InlineData("server.host", "GetInt", "expected a whole number")]
    [InlineData("server.fraction", "GetInt", "whole number")]
    [InlineData("server.big", "GetInt", "out of range")]
    [InlineData("server.huge", "GetLong", "out of range")]
    [InlineData("server.tags", "GetString", "found a list")]
    [InlineData("server", "GetString", "found an object")]
    [InlineData("server.host", "GetBoolean", "expected a boolean")]
    [InlineData("server.nothing", "GetString", "null")]
    [InlineData("server.host", "GetList", "expected a list")]
    [InlineData("server.host", "GetObject", "expected an object")]
    [InlineData("server.host", "GetDuration", "not a valid duration")]
    [InlineData("server.host", "GetBytes", "not a valid size")]
    [InlineData("server.missing", "GetString", "no configuration setting found")]
    public void Wrong_types_report_path_and_origin(string path, string getter, string fragment)
    {
        var error = Assert.Throws<HoconException>(() => _ = getter switch
        {
            "GetInt" => Config.GetInt(path),
            "GetLong" => Config.GetLong(path),
            "GetBoolean" => Config.GetBoolean(path),
            "GetList" => Config.GetList(path),
            "GetObject" => Config.GetObject(path),
            "GetDuration" => Config.GetDuration(path),
            "GetBytes" => Config.GetBytes(path),
            _ => (object)Config.GetString(path),
        });
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal("test.conf", error.File);
        Assert.True(error.Line >= 1);
    }

    [Fact]
    public void Has_path_is_false_for_null_and_missing()
    {
        Assert.True(Config.HasPath("server.port"));
        Assert.False(Config.HasPath("server.nothing"));
        Assert.False(Config.HasPath("server.absent"));
        Assert.False(Config.HasPath("server.port.deeper"));
        Assert.True(Config.TryGetPath("server.nothing", out var value) && value.IsNull);
    }

    [Fact]
    public void Enumerates_leaves_with_paths_and_origins()
    {
        var leaves = Config.EnumerateLeaves().ToDictionary(leaf => leaf.Path);
        Assert.Equal(15, leaves.Count);
        Assert.Equal(2, leaves["server.port"].Origin.Line);
        Assert.Equal(9, leaves["server.tags"].Origin.Line);
        Assert.Equal(["server", "dotted.key"], leaves["server.\"dotted.key\""].Keys);
        Assert.Equal("test.conf:3:10", leaves["server.host"].Origin.ToString());
        foreach (var leaf in leaves.Values)
        {
            Assert.Same(leaf.Value, Config.GetValue(leaf.Path));
        }
    }

    [Fact]
    public void With_fallback_merges_objects()
    {
        var app = Hocon.Parse("a { x = 1 }, b = 2");
        var reference = Hocon.Parse("a { x = 0, y = 0 }, b = { z = 1 }, c = 3");
        Assert.Equal("""{"a":{"x":1,"y":0},"b":2,"c":3}""", app.WithFallback(reference).ToString());
    }

    [Fact]
    public void Values_render_as_json()
    {
        Assert.Equal("""{"a":[1,"x\ny",true,null,{}]}""", Hocon.Parse("a = [1, \"x\\ny\", true, null, {}]").ToString());
    }
}
