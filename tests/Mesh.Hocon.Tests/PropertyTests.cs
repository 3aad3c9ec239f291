using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Mesh.Hocon.Tests;

/// <summary>Properties that must hold for all generated inputs.</summary>
public class PropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Gen<string> Words = Gen.Elements("alpha", "beta", "x1", "foo-bar", "a_b", "42", "3.5", "true", "null", "e");

    private static readonly Gen<string> Keys = Gen.Elements("a", "b", "c", "d");

    [Fact]
    public void Durations_multiply_exactly()
    {
        var units = Gen.Elements(("ns", 1L), ("us", 1_000L), ("ms", 1_000_000L), ("s", 1_000_000_000L), ("m", 60_000_000_000L), ("h", 3_600_000_000_000L), ("d", 86_400_000_000_000L));
        var cases = Gen.Zip(ArbMap.Default.GeneratorFor<long>(), units);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (amount, (unit, nanos)) = c;
            var exact = new BigInteger(amount) * nanos;
            var text = $"{amount} {unit}";
            return exact >= long.MinValue && exact <= long.MaxValue
                ? HoconDuration.ParseNanoseconds(text) == (long)exact
                : Throws(() => HoconDuration.ParseNanoseconds(text));
        }));
    }

    [Fact]
    public void Sizes_multiply_exactly()
    {
        var units = Gen.Elements(("B", 1L), ("kB", 1000L), ("KiB", 1024L), ("MB", 1_000_000L), ("MiB", 1L << 20), ("G", 1L << 30));
        var cases = Gen.Zip(Gen.Choose(0, int.MaxValue), units);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c => HoconSize.Parse($"{c.Item1}{c.Item2.Item1}") == (long)c.Item1 * c.Item2.Item2));
    }

    [Fact]
    public void Unquoted_words_concatenate_with_their_whitespace()
    {
        var cases = Gen.Zip(Gen.NonEmptyListOf(Words), Gen.Elements(" ", "  ", "\t"));
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (words, space) = c;
            var expected = string.Join(space, words);
            var value = Hocon.Parse("v = " + expected).GetValue("v");
            return words.Count == 1 ? value is HoconScalar s && s.Text == expected : value.AsString() == expected;
        }));
    }

    [Fact]
    public void Rendered_json_parses_back_to_the_same_tree()
    {
        Check.One(Quick, Prop.ForAll(Documents().ToArbitrary(), text =>
        {
            var first = Hocon.Parse(text).ToString();
            return Hocon.Parse(first).ToString() == first;
        }));
    }

    [Fact]
    public void Fallback_merging_is_associative()
    {
        var three = Gen.Zip(Documents(), Gen.Zip(Documents(), Documents()));
        Check.One(Quick, Prop.ForAll(three.ToArbitrary(), t =>
        {
            var (a, b, c) = (Hocon.Parse(t.Item1), Hocon.Parse(t.Item2.Item1), Hocon.Parse(t.Item2.Item2));
            return Canonical(a.WithFallback(b).WithFallback(c)) == Canonical(a.WithFallback(b.WithFallback(c)));
        }));
    }

    [Fact]
    public void Later_duplicate_keys_win_like_fallback_merging()
    {
        var two = Gen.Zip(Documents(), Documents());
        Check.One(Quick, Prop.ForAll(two.ToArbitrary(), t =>
            Canonical(Hocon.Parse(t.Item1 + "\n" + t.Item2)) == Canonical(Hocon.Parse(t.Item2).WithFallback(Hocon.Parse(t.Item1)))));
    }

    /// <summary>Small HOCON documents of nested objects, lists and scalars over a few keys (so keys collide).</summary>
    private static Gen<string> Documents()
    {
        var scalar = Gen.OneOf(Words, Gen.Elements("\"quoted\"", "\"with space\"", "[]", "[1, x]", "{}"));
        var value = Gen.OneOf(scalar, Gen.Zip(Keys, scalar).Select(p => $"{{ {p.Item1} = {p.Item2} }}"));
        var field = Gen.Zip(Gen.Zip(Keys, Gen.OneOf(Gen.Constant(""), Keys.Select(k => "." + k))), value)
            .Select(f => $"{f.Item1.Item1}{f.Item1.Item2} = {f.Item2}");
        return Gen.ListOf(field).Select(fields => string.Join("\n", fields));
    }

    /// <summary>Rendering with keys sorted, so that field order does not matter.</summary>
    private static string Canonical(HoconValue value) => value switch
    {
        HoconObject obj => "{" + string.Join(",", obj.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + ":" + Canonical(f.Value))) + "}",
        HoconList list => "[" + string.Join(",", list.Select(Canonical)) + "]",
        _ => value.ToString(),
    };

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (HoconException)
        {
            return true;
        }
    }
}
