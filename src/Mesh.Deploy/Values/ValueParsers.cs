using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using Mesh.Policy.Model;

namespace Mesh.Deploy.Values;

/// <summary>Parsers for <c>--set</c> values. Each throws <see cref="FormatException"/> saying what was expected.</summary>
internal static partial class ValueParsers
{
    private static readonly string[] LogLevels = ["trace", "debug", "info", "warn", "error", "critical"];

    public static bool Bool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException($"'{text}' is not true or false"),
    };

    public static int Int(string text, int min, int max) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"'{text}' is not a whole number in {min}..{max}");

    public static int Port(string text) => Int(text, 1, 65535);

    /// <summary>An RFC 1123 label: what Kubernetes accepts as a namespace name, and what our object names build on.</summary>
    public static string DnsLabel(string text, int maxLength)
    {
        var value = text.Trim();
        return value.Length <= maxLength && DnsLabelPattern().IsMatch(value)
            ? value
            : throw new FormatException($"'{text}' is not a DNS label (lowercase letters, digits and '-', at most {maxLength} characters, starting and ending with a letter or digit)");
    }

    public static string LogLevel(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        return LogLevels.Contains(value) ? value : throw new FormatException($"'{text}' is not one of {string.Join(", ", LogLevels)}");
    }

    public static string OneOf(string text, params string[] allowed) =>
        allowed.FirstOrDefault(a => a == text.Trim()) ?? throw new FormatException($"'{text}' is not one of {string.Join(", ", allowed)}");

    /// <summary>A non-empty token without whitespace (an image repository or tag).</summary>
    public static string Token(string text)
    {
        var value = text.Trim();
        return value.Length > 0 && !value.Any(char.IsWhiteSpace) && !value.Contains('@', StringComparison.Ordinal)
            ? value
            : throw new FormatException($"'{text}' must be non-empty, without spaces or '@'");
    }

    /// <summary>A Kubernetes quantity such as <c>100m</c> or <c>128Mi</c>.</summary>
    public static string Quantity(string text)
    {
        var value = text.Trim();
        try
        {
            _ = new ResourceQuantity(value).ToDecimal();
            return value;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new FormatException($"'{text}' is not a Kubernetes quantity (e.g. 100m, 0.5, 128Mi, 1Gi)");
        }
    }

    /// <summary>A quantity, or empty for "not set".</summary>
    public static string? OptionalQuantity(string text) => text.Trim().Length == 0 ? null : Quantity(text);

    /// <summary>A list as Helm writes it, <c>{a,b}</c>, or a single item; <c>{}</c> or nothing is empty.</summary>
    public static IReadOnlyList<string> List(string text)
    {
        var value = text.Trim();
        if (value.StartsWith('{') && value.EndsWith('}')) value = value[1..^1];
        else if (value.StartsWith('{') || value.EndsWith('}')) throw new FormatException($"'{text}' has unbalanced braces");
        return value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    public static IReadOnlyList<Cidr> CidrList(string text) =>
        List(text).Select(item => Cidr.TryParse(item, out var cidr, out var error) ? cidr : throw new FormatException(error)).ToList();

    public static IReadOnlyList<int> PortList(string text) => List(text).Select(Port).ToList();

    public static string Show(bool value) => value ? "true" : "false";

    public static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Show<T>(IEnumerable<T> items) => "{" + string.Join(",", items) + "}";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabelPattern();
}
