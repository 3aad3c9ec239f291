using System.Globalization;
using System.Numerics;

namespace Mesh.Hocon;

/// <summary>
/// Splits a unit string ("1.5 MiB", "10s", "7") into its number and unit, and multiplies the number by
/// the unit exactly: the number is read as an integer mantissa and a power of ten, so
/// <c>4878955355435272204ns</c> and <c>.001GB</c> come out exact, with no binary floating point.
/// </summary>
internal static class UnitValue
{
    /// <summary>Larger exponents than this are nonsense for durations and sizes and would only cost memory.</summary>
    private const int MaxExponent = 400;

    public static (string Number, string Unit) Split(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var unitStart = trimmed.Length;
        while (unitStart > 0 && char.IsLetter(trimmed[unitStart - 1]))
        {
            unitStart--;
        }

        var number = trimmed[..unitStart].TrimEnd();
        if (number.Length == 0)
        {
            throw new HoconException($"'{text}' is not a valid {what}: it has no number");
        }

        return (number, trimmed[unitStart..]);
    }

    /// <summary>number × unit, rounded to the nearest integer (halves away from zero).</summary>
    public static BigInteger Multiply(string number, BigInteger unit, string original, string what)
    {
        if (!TryParse(number, out var mantissa, out var exponent))
        {
            throw new HoconException($"'{original}' is not a valid {what}: '{number}' is not a number");
        }

        var product = mantissa * unit;
        if (exponent >= 0)
        {
            return product * BigInteger.Pow(10, exponent);
        }

        var divisor = BigInteger.Pow(10, -exponent);
        var quotient = BigInteger.DivRem(product, divisor, out var remainder);
        if (BigInteger.Abs(remainder) * 2 >= divisor)
        {
            quotient += product.Sign;
        }

        return quotient;
    }

    private static bool TryParse(string text, out BigInteger mantissa, out int exponent)
    {
        mantissa = BigInteger.Zero;
        exponent = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        var digits = new System.Text.StringBuilder();
        var fractionDigits = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
                fractionDigits += seenPoint ? 1 : 0;
            }
            else if (c == '.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }

        if (digits.Length == 0)
        {
            return false;
        }

        var explicitExponent = 0;
        if (i < text.Length)
        {
            if (text[i] is not ('e' or 'E')
                || !int.TryParse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out explicitExponent)
                || Math.Abs(explicitExponent) > MaxExponent)
            {
                return false;
            }
        }

        mantissa = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        mantissa = negative ? -mantissa : mantissa;
        exponent = explicitExponent - fractionDigits;
        return true;
    }
}
