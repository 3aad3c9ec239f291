using System.Numerics;

namespace Mesh.Hocon.Tests.Conformance;

/// <summary>README section 4, test01 (+ .json, .properties, and test-lib's test01.conf).</summary>
internal static partial class ConformanceCases
{
    private static readonly string[] BadPaths = [".bad", "bad.", "bad..bad"];

    private static IEnumerable<ConformanceCase> Test01()
    {
        var sys = Lazy(() => ConformanceLoader.Load("test01", ConformanceLoader.FakeSystem));
        var noSys = Lazy(() => ConformanceLoader.Load("test01"));
        HoconObject C() => sys.Value;
        const string T = "test01: ";

        yield return Case(T + "ints.fortyTwo is the int 42", "A", () => Assert.Equal(42, C().GetInt("ints.fortyTwo")));
        yield return Case(T + "ints.fortyTwoAgain is 42", "A", () => Assert.Equal(42, C().GetInt("ints.fortyTwoAgain")));
        yield return Case(T + "floats.fortyTwoPointOne(Again) are 42.1", "A", () =>
        {
            Assert.Equal(42.1, C().GetDouble("floats.fortyTwoPointOne"));
            Assert.Equal(42.1, C().GetDouble("floats.fortyTwoPointOneAgain"));
        });
        yield return Case(T + "floats.pointThirtyThree is the STRING .33 and converts to 0.33", "A", () =>
        {
            Assert.Equal(HoconValueType.String, C().GetValue("floats.pointThirtyThree").Type);
            Assert.Equal(".33", C().GetString("floats.pointThirtyThree"));
            Assert.Equal(0.33, C().GetDouble("floats.pointThirtyThree"));
        });
        yield return Case(T + "floats.pointThirtyThreeAgain reads as 0.33", "A", () => Assert.Equal(0.33, C().GetDouble("floats.pointThirtyThreeAgain")));
        yield return Case(T + "strings.abcd and abcdAgain are abcd", "A", () =>
        {
            Assert.Equal("abcd", C().GetString("strings.abcd"));
            Assert.Equal("abcd", C().GetString("strings.abcdAgain"));
        });
        yield return Case(T + "strings.concatenated", "A", () => Assert.Equal("null bar 42 baz true 3.14 hi", C().GetString("strings.concatenated")));
        yield return Case(T + "strings.number converts to 57", "A", () => Assert.Equal(57, C().GetInt("strings.number")));
        yield return Case(T + "strings.double converts to 3.14", "A", () => Assert.Equal(3.14, C().GetDouble("strings.double")));
        yield return Case(T + "strings.doubleStartingWithDot converts to 0.33", "A", () => Assert.Equal(0.33, C().GetDouble("strings.doubleStartingWithDot")));
        yield return Case(T + "strings.true and strings.yes convert to true", "A", () =>
        {
            Assert.True(C().GetBoolean("strings.true"));
            Assert.True(C().GetBoolean("strings.yes"));
        });
        yield return Case(T + "strings.false and strings.no convert to false", "A", () =>
        {
            Assert.False(C().GetBoolean("strings.false"));
            Assert.False(C().GetBoolean("strings.no"));
        });
        yield return Case(T + "strings.abcd read as a boolean is a wrong-type error", "A", () => Assert.Throws<HoconException>(() => C().GetBoolean("strings.abcd")));
        yield return Case(T + "numbers read as strings keep their text", "A", () =>
        {
            Assert.Equal("42", C().GetString("ints.fortyTwo"));
            Assert.Equal("42.1", C().GetString("floats.fortyTwoPointOne"));
        });
        yield return Case(T + "booleans.trueAgain / falseAgain", "A", () =>
        {
            Assert.True(C().GetBoolean("booleans.trueAgain"));
            Assert.False(C().GetBoolean("booleans.falseAgain"));
        });
        yield return Case(T + "nulls.null is present, null, not hasPath, and getInt fails", "A", () =>
        {
            Assert.True(C().GetObject("nulls").ContainsKey("null"));
            Assert.True(C().GetValue("nulls.null").IsNull);
            Assert.False(C().HasPath("nulls.null"));
            Assert.Throws<HoconException>(() => C().GetInt("nulls.null"));
        });
        yield return Case(T + "arrays.empty is []", "A", () => Assert.Empty(C().GetList("arrays.empty")));
        yield return Case(T + "arrays.ofInt", "A", () => Assert.Equal([1, 2, 3], C().GetList("arrays.ofInt").Select(v => v.AsInt())));
        yield return Case(T + "arrays.ofString (from substitutions)", "A", () => Assert.Equal(["a", "b", "c"], C().GetStringList("arrays.ofString")));
        yield return Case(T + "arrays.ofDouble", "A", () => Assert.Equal([3.14, 4.14, 5.14], C().GetList("arrays.ofDouble").Select(v => v.AsDouble())));
        yield return Case(T + "arrays.ofNull", "A", () => Assert.All(C().GetList("arrays.ofNull"), v => Assert.True(v.IsNull)));
        yield return Case(T + "arrays.ofBoolean", "A", () => Assert.Equal([true, false], C().GetList("arrays.ofBoolean").Select(v => v.AsBoolean())));
        yield return Case(T + "arrays.ofArray is three copies of [a,b,c]", "A", () =>
            Assert.Equal(3, C().GetList("arrays.ofArray").Count(v => v.AsList().Select(x => x.AsString()).SequenceEqual(["a", "b", "c"]))));
        yield return Case(T + "arrays.ofObject has three objects", "A", () =>
            Assert.Equal(3, C().GetList("arrays.ofObject").Count(v => v is HoconObject)));
        yield return Case(T + "arrays.firstElementNotASubst", "A", () => Assert.Equal(["a", "b"], C().GetStringList("arrays.firstElementNotASubst")));
        yield return Case(T + "durations.second is 1e9 ns", "A", () => Assert.Equal(1_000_000_000L, HoconDuration.ParseNanoseconds(C().GetString("durations.second"))));
        yield return Case(T + "durations.secondAsNumber is 1000 ms", "A", () => Assert.Equal(TimeSpan.FromSeconds(1), C().GetDuration("durations.secondAsNumber")));
        yield return Case(T + "durations.secondsList", "A", () =>
            Assert.Equal([1000.0, 2000, 3000, 4000], C().GetList("durations.secondsList").Select(v => v.AsDuration().TotalMilliseconds)));
        yield return Case(T + "durations.halfSecond is 500 ms", "A", () => Assert.Equal(TimeSpan.FromMilliseconds(500), C().GetDuration("durations.halfSecond")));
        yield return Case(T + "durations.millis is 1 ms", "A", () => Assert.Equal(TimeSpan.FromMilliseconds(1), C().GetDuration("durations.millis")));
        yield return Case(T + "durations.micros is 2 ms", "A", () => Assert.Equal(TimeSpan.FromMilliseconds(2), C().GetDuration("durations.micros")));
        yield return Case(T + "durations.largeNanos is exact", "A", () => Assert.Equal(4878955355435272204L, HoconDuration.ParseNanoseconds(C().GetString("durations.largeNanos"))));
        yield return Case(T + "durations.plusLargeNanos is exact", "A", () => Assert.Equal(4878955355435272204L, HoconDuration.ParseNanoseconds(C().GetString("durations.plusLargeNanos"))));
        yield return Case(T + "durations.minusLargeNanos is exact", "A", () => Assert.Equal(-4878955355435272204L, HoconDuration.ParseNanoseconds(C().GetString("durations.minusLargeNanos"))));
        yield return Case(T + "periods.day is 1 day", "A", () => Assert.Equal(new HoconPeriod(0, 0, 1), HoconPeriod.Parse(C().GetString("periods.day"))));
        yield return Case(T + "periods.dayAsNumber is 2 days", "A", () => Assert.Equal(new HoconPeriod(0, 0, 2), HoconPeriod.Parse(C().GetString("periods.dayAsNumber"))));
        yield return Case(T + "periods.week is 21 days", "A", () => Assert.Equal(new HoconPeriod(0, 0, 21), HoconPeriod.Parse(C().GetString("periods.week"))));
        yield return Case(T + "periods.month is 5 months", "A", () => Assert.Equal(new HoconPeriod(0, 5, 0), HoconPeriod.Parse(C().GetString("periods.month"))));
        yield return Case(T + "periods.year is 8 years", "A", () => Assert.Equal(new HoconPeriod(8, 0, 0), HoconPeriod.Parse(C().GetString("periods.year"))));
        yield return Case(T + "memsizes.meg is 1048576", "A", () => Assert.Equal(1048576L, C().GetBytes("memsizes.meg")));
        yield return Case(T + "memsizes.megAsNumber is 1048576", "A", () => Assert.Equal(1048576L, C().GetBytes("memsizes.megAsNumber")));
        yield return Case(T + "memsizes.megsList", "A", () => Assert.Equal([1048576L, 1048576L, 1048576L], C().GetList("memsizes.megsList").Select(v => v.AsBytes())));
        yield return Case(T + "memsizes.halfMeg is 524288", "A", () => Assert.Equal(524288L, C().GetBytes("memsizes.halfMeg")));
        yield return Case(T + "memsizes.yottabyte is 10^24 (BigInteger) and out of range for a long", "A", () =>
        {
            Assert.Equal(BigInteger.Pow(10, 24), HoconSize.ParseBig(C().GetString("memsizes.yottabyte")));
            Assert.Throws<HoconException>(() => C().GetBytes("memsizes.yottabyte"));
        });
        yield return Case(T + "memsizes.yottabyteList", "A", () =>
            Assert.Equal([BigInteger.Pow(10, 24), 5 * BigInteger.Pow(10, 23)], C().GetList("memsizes.yottabyteList").Select(v => HoconSize.ParseBig(v.AsString()))));
        yield return Case(T + "system.javaversion comes from (fake) system properties", "A", () => Assert.Equal("21.0.2", C().GetString("system.javaversion")));
        yield return Case(T + "system.javaversion is absent under noSystem", "A", () => Assert.False(noSys.Value.HasPath("system.javaversion")));
        yield return Case(T + "system.home is $HOME when set, absent under noSystem", "A", () =>
        {
            Assert.Equal("/home/mesh", C().GetString("system.home"));
            Assert.False(noSys.Value.HasPath("system.home"));
        });
        yield return Case(T + "system.userhome/shell are set when defined; pwd/lang/path absent when not", "D", () =>
        {
            Assert.Equal("/home/mesh", C().GetString("system.userhome"));
            Assert.Equal("/bin/sh", C().GetString("system.shell"));
            Assert.False(C().HasPath("system.pwd") || C().HasPath("system.lang") || C().HasPath("system.path"));
        });
        yield return Case(T + "system.not_here is absent", "D", () => Assert.False(C().HasPath("system.not_here")));
        yield return Case(T + "system.concatenated with system values", "A", () =>
            Assert.Equal("Your Java version is 21.0.2 and your user.home is /home/mesh", C().GetString("system.concatenated")));
        yield return Case(T + "system.concatenated under noSystem", "D", () =>
            Assert.Equal("Your Java version is  and your user.home is ", noSys.Value.GetString("system.concatenated")));
        yield return Case(T + "fromJson1 / fromJsonA come from test01.json", "A", () =>
        {
            Assert.Equal(1, C().GetInt("fromJson1"));
            Assert.Equal("A", C().GetString("fromJsonA"));
        });
        yield return Case(T + "fromProps values are strings that convert", "A", () =>
        {
            Assert.Equal("abc", C().GetString("fromProps.abc"));
            Assert.Equal(HoconValueType.String, C().GetValue("fromProps.one").Type);
            Assert.Equal(1, C().GetInt("fromProps.one"));
            Assert.Equal("true", C().GetString("fromProps.bool"));
            Assert.True(C().GetBoolean("fromProps.bool"));
        });
        yield return Case(T + "fromProps.specialChars is hello^^", "A", () => Assert.Equal("hello^^", C().GetString("fromProps.specialChars")));
        yield return Case(T + "test01.properties parsed as HOCON fails at '^'", "A", () =>
        {
            var error = Assert.Throws<HoconException>(() => ConformanceLoader.ParseAsHocon(ConformanceFolder.Resource("test01.properties")));
            Assert.Contains("'^'", error.Message, StringComparison.Ordinal);
            Assert.Equal(5, error.Line);
        });
        yield return Case(T + "a missing key is an error", "A", () => Assert.Throws<HoconException>(() => C().GetInt("doesnotexist")));
        yield return Case(T + "paths .bad, bad. and bad..bad are bad-path errors", "A", () =>
        {
            foreach (var path in BadPaths)
            {
                Assert.Contains("invalid path", Assert.Throws<HoconException>(() => C().GetInt(path)).Message, StringComparison.Ordinal);
            }
        });
        yield return Case(T + "test-lib's test01.conf merges in but does not override", "A", () =>
        {
            Assert.True(C().GetBoolean("test-lib.fromTestLib"));
            Assert.Equal(42, C().GetInt("ints.fortyTwo"));
        });
    }
}
