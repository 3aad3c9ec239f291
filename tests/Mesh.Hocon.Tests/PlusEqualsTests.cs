namespace Mesh.Hocon.Tests;

/// <summary><c>+=</c>: sugar for <c>a = ${?a} [value]</c> (README section 7).</summary>
public class PlusEqualsTests
{
    [Theory]
    [InlineData("a=[], a+=2", """{"a":[2]}""")]
    [InlineData("a+=2", """{"a":[2]}""")]
    [InlineData("a=[1], a+=2", """{"a":[1,2]}""")]
    [InlineData("a=[1], a+=2, a+=3, a+=4", """{"a":[1,2,3,4]}""")]
    [InlineData("a.b=[1], a.b+=2", """{"a":{"b":[1,2]}}""")]
    [InlineData("a { b = [1] }, a { b += 2 }", """{"a":{"b":[1,2]}}""")]
    [InlineData("a { b { c += 1, c += 2 } }", """{"a":{"b":{"c":[1,2]}}}""")]
    [InlineData("a += {x:1}, a += {y:2}", """{"a":[{"x":1},{"y":2}]}""")]
    [InlineData("a += [1]", """{"a":[[1]]}""")]
    [InlineData("x=[1], y=2, a=${x}, a+=${y}", """{"x":[1],"y":2,"a":[1,2]}""")]
    [InlineData("a { 0 = x, 1 = y }, a += z", """{"a":["x","y","z"]}""")]
    [InlineData("a += foo bar", """{"a":["foo bar"]}""")]
    [InlineData("a = [1]\na += 2\nb = ${a}", """{"a":[1,2],"b":[1,2]}""")]
    public void Appends(string hocon, string json) => Hocon.AssertJson(hocon, json);

    [Theory]
    [InlineData("a=10, a+=2")]
    [InlineData("a=abc, a+=2")]
    [InlineData("a={x:y}, a+=2")]
    [InlineData("a = [ { b += 1 } ]")]
    public void Rejects(string hocon) => Hocon.Fails(hocon);
}
