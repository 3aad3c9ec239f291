using System.Globalization;
using System.Text;

namespace Mesh.Deploy.Values;

/// <summary>
/// Install values as a file of <c>key=value</c> lines, every key written out: how the controllers learn what the
/// installation chose (image, proxy settings, ...) so that the webhook injects exactly what <c>mesh inject</c> with the
/// same <c>--set</c>s would. Writing every key, not only the changed ones, pins an installation's meaning even when a
/// later version changes a default.
/// </summary>
internal static class ValuesFile
{
    public static string Write(InstallValues values)
    {
        var text = new StringBuilder("# mesh install values: KEY=VALUE, one per line (the keys of mesh install --set)\n");
        foreach (var key in ValueCatalog.Keys) text.Append(CultureInfo.InvariantCulture, $"{key.Name}={key.Show(values)}\n");
        return text.ToString();
    }

    /// <summary>Reads a values file; errors name the file, line and key.</summary>
    public static InstallValues Read(string text, string origin)
    {
        var values = new InstallValues();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            try
            {
                values = ValuesParser.Apply(values, line);
            }
            catch (ValuesException e)
            {
                throw new ValuesException($"{origin}:{lineNumber}: {e.Message}");
            }
        }
        ValuesValidator.Validate(values);
        return values;
    }
}
