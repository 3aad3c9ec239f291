using System.Numerics;

namespace Mesh.Hocon.Tests;

/// <summary>Durations, sizes and periods with exact integer arithmetic (README section 7, "Units").</summary>
public class UnitTests
{
    [Theory]
    [InlineData("1ns", 1L)]
    [InlineData("1 nano", 1L)]
    [InlineData("2 nanos", 2L)]
    [InlineData("1 nanosecond", 1L)]
    [InlineData("3 nanoseconds", 3L)]
    [InlineData("1us", 1_000L)]
    [InlineData("1 micro", 1_000L)]
    [InlineData("2 micros", 2_000L)]
    [InlineData("1 microsecond", 1_000L)]
    [InlineData("2 microseconds", 2_000L)]
    [InlineData("1ms", 1_000_000L)]
    [InlineData("1 milli", 1_000_000L)]
    [InlineData("2 millis", 2_000_000L)]
    [InlineData("1 millisecond", 1_000_000L)]
    [InlineData("2 milliseconds", 2_000_000L)]
    [InlineData("1000", 1_000_000_000L)]
    [InlineData("1s", 1_000_000_000L)]
    [InlineData("1 second", 1_000_000_000L)]
    [InlineData("2 seconds", 2_000_000_000L)]
    [InlineData("1m", 60_000_000_000L)]
    [InlineData("1 minute", 60_000_000_000L)]
    [InlineData("2 minutes", 120_000_000_000L)]
    [InlineData("1h", 3_600_000_000_000L)]
    [InlineData("1 hour", 3_600_000_000_000L)]
    [InlineData("2 hours", 7_200_000_000_000L)]
    [InlineData("1d", 86_400_000_000_000L)]
    [InlineData("1 day", 86_400_000_000_000L)]
    [InlineData("2 days", 172_800_000_000_000L)]
    [InlineData("0.5s", 500_000_000L)]
    [InlineData("  10 s  ", 10_000_000_000L)]
    [InlineData("0.0166666666666666667m", 1_000_000_000L)]
    [InlineData("1.1574074074074073e-05d", 1_000_000_000L)]
    [InlineData("4878955355435272204ns", 4878955355435272204L)]
    [InlineData("+4878955355435272204ns", 4878955355435272204L)]
    [InlineData("-4878955355435272204ns", -4878955355435272204L)]
    [InlineData("1e3ms", 1_000_000_000L)]
    public void Durations_are_exact(string text, long nanos) => Assert.Equal(nanos, HoconDuration.ParseNanoseconds(text));

    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("100 ms", 100)]
    [InlineData("2h", 7_200_000)]
    public void Durations_become_TimeSpans(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), HoconDuration.Parse(text));

    [Theory]
    [InlineData("100 dollars")]
    [InlineData("1 00 seconds")]
    [InlineData("1S")]
    [InlineData("1 Seconds")]
    [InlineData("seconds")]
    [InlineData("")]
    [InlineData("1..5s")]
    [InlineData("99999999999999999999 days")]
    public void Bad_durations_are_errors(string text)
    {
        Assert.Throws<HoconException>(() => HoconDuration.ParseNanoseconds(text));
        Assert.False(HoconDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("10", 10L)]
    [InlineData("1B", 1L)]
    [InlineData("1b", 1L)]
    [InlineData("1 byte", 1L)]
    [InlineData("2 bytes", 2L)]
    [InlineData("1kB", 1_000L)]
    [InlineData("1 kilobyte", 1_000L)]
    [InlineData("2 kilobytes", 2_000L)]
    [InlineData("1MB", 1_000_000L)]
    [InlineData("1 megabyte", 1_000_000L)]
    [InlineData("1GB", 1_000_000_000L)]
    [InlineData("1 gigabyte", 1_000_000_000L)]
    [InlineData("1TB", 1_000_000_000_000L)]
    [InlineData("1PB", 1_000_000_000_000_000L)]
    [InlineData("1EB", 1_000_000_000_000_000_000L)]
    [InlineData("1K", 1_024L)]
    [InlineData("1k", 1_024L)]
    [InlineData("1Ki", 1_024L)]
    [InlineData("1KiB", 1_024L)]
    [InlineData("64KiB", 65_536L)]
    [InlineData("1 kibibyte", 1_024L)]
    [InlineData("2 kibibytes", 2_048L)]
    [InlineData("1M", 1_048_576L)]
    [InlineData("1m", 1_048_576L)]
    [InlineData("1Mi", 1_048_576L)]
    [InlineData("1MiB", 1_048_576L)]
    [InlineData("1 mebibyte", 1_048_576L)]
    [InlineData("1G", 1_073_741_824L)]
    [InlineData("1GiB", 1_073_741_824L)]
    [InlineData("1T", 1_099_511_627_776L)]
    [InlineData("1P", 1_125_899_906_842_624L)]
    [InlineData("1E", 1_152_921_504_606_846_976L)]
    [InlineData(".001GB", 1_000_000L)]
    [InlineData("0.0009765625G", 1_048_576L)]
    [InlineData("0.5M", 524_288L)]
    [InlineData("1.5 KiB", 1_536L)]
    public void Sizes_are_exact(string text, long bytes) => Assert.Equal(bytes, HoconSize.Parse(text));

    [Theory]
    [InlineData("1ZB", "1000000000000000000000")]
    [InlineData("1 zettabyte", "1000000000000000000000")]
    [InlineData("1YB", "1000000000000000000000000")]
    [InlineData("1 yottabyte", "1000000000000000000000000")]
    [InlineData("1Zi", "1180591620717411303424")]
    [InlineData("1 zebibyte", "1180591620717411303424")]
    [InlineData("1YiB", "1208925819614629174706176")]
    [InlineData("1 yobibyte", "1208925819614629174706176")]
    public void Huge_sizes_are_exact_as_BigInteger_and_out_of_range_as_long(string text, string bytes)
    {
        Assert.Equal(BigInteger.Parse(bytes, System.Globalization.CultureInfo.InvariantCulture), HoconSize.ParseBig(text));
        Assert.Contains("out of range", Assert.Throws<HoconException>(() => HoconSize.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-1KiB")]
    [InlineData("1 KB")]
    [InlineData("1 kb")]
    [InlineData("1 mib")]
    [InlineData("lots")]
    public void Bad_sizes_are_errors(string text)
    {
        Assert.Throws<HoconException>(() => HoconSize.Parse(text));
        Assert.False(HoconSize.TryParse(text, out _));
    }

    [Theory]
    [InlineData("1d", 0, 0, 1)]
    [InlineData("2", 0, 0, 2)]
    [InlineData("3 days", 0, 0, 3)]
    [InlineData("1w", 0, 0, 7)]
    [InlineData("3 weeks", 0, 0, 21)]
    [InlineData("5m", 0, 5, 0)]
    [InlineData("5mo", 0, 5, 0)]
    [InlineData("5 months", 0, 5, 0)]
    [InlineData("1 month", 0, 1, 0)]
    [InlineData("8y", 8, 0, 0)]
    [InlineData("1 year", 1, 0, 0)]
    [InlineData("2 years", 2, 0, 0)]
    public void Periods(string text, int years, int months, int days) =>
        Assert.Equal(new HoconPeriod(years, months, days), HoconPeriod.Parse(text));

    [Fact]
    public void Twelve_months_is_a_year()
    {
        Assert.Equal(new HoconPeriod(1, 0, 0), HoconPeriod.Parse("12m").Normalized());
        Assert.Equal(HoconPeriod.Parse("12mo").Normalized(), HoconPeriod.Parse("1y").Normalized());
        Assert.Equal(new DateTime(2025, 3, 1), HoconPeriod.Parse("1y").AddTo(new DateTime(2024, 3, 1)));
    }

    [Theory]
    [InlineData("1.5d")]
    [InlineData("1 fortnight")]
    [InlineData("1s")]
    public void Bad_periods_are_errors(string text) => Assert.Throws<HoconException>(() => HoconPeriod.Parse(text));
}
