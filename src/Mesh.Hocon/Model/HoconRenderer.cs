using System.Globalization;
using System.Text;

namespace Mesh.Hocon;

/// <summary>
/// Compact JSON rendering of resolved values (JSON is valid HOCON): for messages, tests, and for handing a resolved
/// subtree to a consumer with a parser of its own (Mesh gives Akka its <c>akka</c> section this way).
/// </summary>
public static class HoconRenderer
{
    public static string Render(HoconValue value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        WriteString(sb, text);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, HoconValue value)
    {
        switch (value)
        {
            case HoconObject obj:
                sb.Append('{');
                var firstField = true;
                foreach (var (key, child) in obj)
                {
                    sb.Append(firstField ? "" : ",");
                    firstField = false;
                    WriteString(sb, key);
                    sb.Append(':');
                    Write(sb, child);
                }

                sb.Append('}');
                break;
            case HoconList list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    sb.Append(i == 0 ? "" : ",");
                    Write(sb, list[i]);
                }

                sb.Append(']');
                break;
            case HoconScalar { Type: HoconValueType.String } s:
                WriteString(sb, s.Text);
                break;
            case HoconScalar s:
                sb.Append(s.Text);
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
