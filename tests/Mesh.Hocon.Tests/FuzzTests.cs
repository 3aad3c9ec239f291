using FsCheck;
using FsCheck.Fluent;
using Mesh.Hocon.Tests.Conformance;

namespace Mesh.Hocon.Tests;

/// <summary>
/// Robustness: no input makes the parser throw anything but <see cref="HoconException"/>, and no
/// input makes it hang. Each parse runs with a time limit.
/// </summary>
public class FuzzTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "=", "+=", "\n", " ", "\t", "#", "//", "/", ".", "\"", "\"\"\"", "\\", "$", "${", "${?", "?",
        "a", "b", "a.b", "\"q\"", "1", "-2.5e3", "true", "null", "include", "include \"x\"", "file(", "required(", ")", "\uFEFF",
        "\u00A0", "\u2028", "\r", "é", "^", "!", "@", "10s", "64KiB", "${a}", "${?b}", "a=${a}", "a+=1", "[1]", "{x:1}",
    ];

    private static readonly Lazy<string[]> Corpus = new(() =>
        [.. Directory.GetFiles(ConformanceFolder.Path, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".properties", StringComparison.Ordinal))
            .Select(File.ReadAllText)]);

    [Fact]
    public void Random_syntax_soup_only_raises_HoconException()
    {
        var soup = Gen.ListOf(Gen.Elements(Fragments)).Select(parts => string.Concat(parts));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(soup.ToArbitrary(), text => ParsesOrFailsCleanly(text)));
    }

    [Fact]
    public void Arbitrary_strings_only_raise_HoconException()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => ParsesOrFailsCleanly(text ?? "")));
    }

    [Fact]
    public void Mutated_conformance_files_only_raise_HoconException()
    {
        var mutated =
            from index in Gen.Choose(0, Corpus.Value.Length - 1)
            from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 3), Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Elements(Fragments))))
            select Mutate(Corpus.Value[index], edits);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(mutated.ToArbitrary(), text => ParsesOrFailsCleanly(text)));
    }

    [Theory]
    [InlineData(100_000, "[")]
    [InlineData(100_000, "{")]
    [InlineData(100_000, "a.")]
    [InlineData(100_000, "a={")]
    [InlineData(20_000, "\"\"\"")]
    public void Pathological_nesting_fails_cleanly(int count, string fragment)
    {
        Assert.True(ParsesOrFailsCleanly(string.Concat(Enumerable.Repeat(fragment, count))));
        Assert.True(ParsesOrFailsCleanly("a = " + string.Concat(Enumerable.Repeat(fragment, count)) + "1"));
    }

    [Fact]
    public void Deep_but_reasonable_nesting_parses()
    {
        var text = string.Concat(Enumerable.Repeat("a {", 150)) + "x = 1" + new string('}', 150);
        Assert.Equal(1, Hocon.Parse(text).GetInt(string.Join('.', Enumerable.Repeat("a", 150)) + ".x"));
    }

    private static string Mutate(string text, IEnumerable<(int Kind, (int Position, string Fragment) Where)> edits)
    {
        foreach (var (kind, (position, fragment)) in edits)
        {
            var at = text.Length == 0 ? 0 : position % text.Length;
            text = kind switch
            {
                0 => text.Remove(at, Math.Min(1 + (position % 7), text.Length - at)),
                1 => text.Insert(at, fragment),
                2 => text[..at],
                _ => text.Length < 2 ? text : text.Remove(at, 1).Insert(position % (text.Length - 1), text[at].ToString()),
            };
        }

        return text;
    }

    /// <summary>True when the text parses or fails with a HoconException, within the time limit.</summary>
    private static bool ParsesOrFailsCleanly(string text)
    {
        var parse = Task.Run(() =>
        {
            try
            {
                HoconParser.ParseString(text, "fuzz.conf", HoconResolveOptions.NoEnvironment, new HoconParseOptions { BaseDirectory = ConformanceFolder.Resources });
            }
            catch (HoconException)
            {
                // Expected for most inputs.
            }
        });
        if (!parse.Wait(Limit))
        {
            throw new TimeoutException($"parsing did not finish within {Limit}: {Show(text)}");
        }

        return true;
    }

    private static string Show(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
