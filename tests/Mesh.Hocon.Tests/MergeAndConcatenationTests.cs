namespace Mesh.Hocon.Tests;

/// <summary>Duplicate keys, object merging and value concatenation (README section 7).</summary>
public class MergeAndConcatenationTests
{
    [Theory]
    [InlineData("a=1, a=2", """{"a":2}""")]
    [InlineData("a={x=1}, a={y=2}", """{"a":{"x":1,"y":2}}""")]
    [InlineData("a={x={p=1}}, a={x={q=2}}", """{"a":{"x":{"p":1,"q":2}}}""")]
    [InlineData("a:{b:1}, a:null, a:{c:2}", """{"a":{"c":2}}""")]
    [InlineData("a:{b:1}, a:42, a:{c:2}", """{"a":{"c":2}}""")]
    [InlineData("a=[1,2], a=[3]", """{"a":[3]}""")]
    [InlineData("a={x=1}, a=[3]", """{"a":[3]}""")]
    [InlineData("a=[3], a={x=1}", """{"a":{"x":1}}""")]
    [InlineData("a.b.c=1, a.b.d=2, a.e=3", """{"a":{"b":{"c":1,"d":2},"e":3}}""")]
    [InlineData("a.b=1, a={c=2}", """{"a":{"b":1,"c":2}}""")]
    [InlineData("a={c=2}, a.b=1", """{"a":{"b":1,"c":2}}""")]
    [InlineData("a.b=1, a=5, a.c=2", """{"a":{"c":2}}""")]
    public void Merges(string hocon, string json) => Hocon.AssertJson(hocon, json);

    [Theory]
    [InlineData("a = true \"xyz\" 123 foo", """{"a":"true xyz 123 foo"}""")]
    [InlineData("x = 1, a = ${x}foo${x}", """{"x":1,"a":"1foo1"}""")]
    [InlineData("a = [1,2] [3,4]", """{"a":[1,2,3,4]}""")]
    [InlineData("a = {b:1} {b:2} {b:3}", """{"a":{"b":3}}""")]
    [InlineData("a = {b:1} {c:2}", """{"a":{"b":1,"c":2}}""")]
    [InlineData("x = [1,2], y = [5,6], a = ${x} [3,4] ${y}", """{"x":[1,2],"y":[5,6],"a":[1,2,3,4,5,6]}""")]
    [InlineData("a = [1,\n2] [3,\n4]", """{"a":[1,2,3,4]}""")]
    [InlineData("a = {b:1,\nc:2} {d:3}", """{"a":{"b":1,"c":2,"d":3}}""")]
    [InlineData("a = [ foo bar 10 ]", """{"a":["foo bar 10"]}""")]
    [InlineData("a = [ foo\nbar\n10 ]", """{"a":["foo","bar",10]}""")]
    [InlineData("a = [ 1 2 3 ]", """{"a":["1 2 3"]}""")]
    [InlineData("a = foo${?bar}", """{"a":"foo"}""")]
    [InlineData("a = [1] ${?bar}", """{"a":[1]}""")]
    [InlineData("a = {x:foo} ${?bar}", """{"a":{"x":"foo"}}""")]
    [InlineData("a = ${?foo}${?bar}", "{}")]
    [InlineData("a = ${?foo} ${?bar}", """{"a":" "}""")]
    [InlineData("a = \"\"${?foo}${?bar}", """{"a":""}""")]
    [InlineData("x = {p:1}, y = {q:2}, a = ${x} ${y}", """{"x":{"p":1},"y":{"q":2},"a":{"p":1,"q":2}}""")]
    [InlineData("x = [1], y = [2], a = ${x} ${y}", """{"x":[1],"y":[2],"a":[1,2]}""")]
    [InlineData("a =   null bar 42 baz true 3.14 hi   ", """{"a":"null bar 42 baz true 3.14 hi"}""")]
    [InlineData("a = 1.0 2.50", """{"a":"1.0 2.50"}""")]
    [InlineData("a = \"x\" \"y\"", """{"a":"x y"}""")]
    [InlineData("a = \"x\"\"y\"", """{"a":"xy"}""")]
    [InlineData("a = foo  bar", """{"a":"foo  bar"}""")]
    [InlineData("a = \"\"\"x\"\"\" y", """{"a":"x y"}""")]
    [InlineData("a = 42, b = ${a} is the answer", """{"a":42,"b":"42 is the answer"}""")]
    [InlineData("a = 1, b = ${a}", """{"a":1,"b":1}""")]
    [InlineData("props { 0 = a, 1 = b }, a = ${props} [c]", """{"props":{"0":"a","1":"b"},"a":["a","b","c"]}""")]
    public void Concatenates(string hocon, string json) => Hocon.AssertJson(hocon, json);

    [Theory]
    [InlineData("a = abc { x : y }")]
    [InlineData("a = [1] abc")]
    [InlineData("a = {x:1} [1]")]
    [InlineData("x = {a:1}, a = ${x} [1]")]
    [InlineData("x = [1], a = ${x} foo")]
    public void Rejects_mixed_concatenations(string hocon) => Hocon.Fails(hocon);
}
