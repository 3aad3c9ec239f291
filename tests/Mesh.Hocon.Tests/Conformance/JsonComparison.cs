using System.Globalization;
using System.Text.Json;

namespace Mesh.Hocon.Tests.Conformance;

/// <summary>
/// Compares a resolved HOCON value with a JSON document read by System.Text.Json (independent of the
/// parser under test), with the upstream equality rules: objects by key set, lists in order, numbers by
/// numeric value, strings exactly.
/// </summary>
internal static class JsonComparison
{
    /// <returns>Null when equal, otherwise where and how they differ.</returns>
    public static string? Difference(HoconValue actual, JsonElement expected, string path = "(root)")
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual is not HoconObject obj)
                {
                    return $"{path}: expected an object, got {actual}";
                }

                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var actualKeys = obj.Keys.ToHashSet(StringComparer.Ordinal);
                if (!expectedKeys.SetEquals(actualKeys))
                {
                    return $"{path}: expected keys [{string.Join(",", expectedKeys.Order(StringComparer.Ordinal))}], got [{string.Join(",", actualKeys.Order(StringComparer.Ordinal))}]";
                }

                foreach (var property in expected.EnumerateObject())
                {
                    var difference = Difference(obj[property.Name], property.Value, $"{path}.{property.Name}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (actual is not HoconList list || list.Count != expected.GetArrayLength())
                {
                    return $"{path}: expected {expected.GetRawText()}, got {actual}";
                }

                var index = 0;
                foreach (var item in expected.EnumerateArray())
                {
                    var difference = Difference(list[index], item, $"{path}[{index}]");
                    if (difference is not null)
                    {
                        return difference;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.String:
                return actual is HoconScalar { Type: HoconValueType.String } s && s.Text == expected.GetString()
                    ? null
                    : $"{path}: expected the string {expected.GetRawText()}, got {actual}";
            case JsonValueKind.Number:
                return actual is HoconScalar { Type: HoconValueType.Number } n && SameNumber(n.Text, expected.GetRawText())
                    ? null
                    : $"{path}: expected the number {expected.GetRawText()}, got {actual}";
            case JsonValueKind.True or JsonValueKind.False:
                return actual is HoconScalar { Type: HoconValueType.Boolean } b && b.Text == expected.GetRawText()
                    ? null
                    : $"{path}: expected {expected.GetRawText()}, got {actual}";
            default:
                return actual.IsNull ? null : $"{path}: expected null, got {actual}";
        }
    }

    private static bool SameNumber(string a, string b) =>
        decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
        && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            ? x == y
            : double.Parse(a, CultureInfo.InvariantCulture) == double.Parse(b, CultureInfo.InvariantCulture);
}
