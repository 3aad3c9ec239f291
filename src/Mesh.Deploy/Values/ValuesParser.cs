namespace Mesh.Deploy.Values;

/// <summary>
/// Applies <c>--set</c> arguments to the defaults, as Helm reads them: <c>a=1,b={x,y}</c> holds two assignments
/// (commas inside braces belong to a list). Later assignments win. Unknown keys and bad values are errors that name
/// the key; the combination is checked last (<see cref="ValuesValidator"/>).
/// </summary>
internal static class ValuesParser
{
    public static InstallValues Parse(IEnumerable<string> setArguments, InstallValues? defaults = null)
    {
        var values = defaults ?? new InstallValues();
        foreach (var argument in setArguments)
        {
            foreach (var assignment in SplitAssignments(argument))
            {
                values = Apply(values, assignment);
            }
        }
        ValuesValidator.Validate(values);
        return values;
    }

    public static InstallValues Apply(InstallValues values, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new ValuesException($"--set {assignment}: expected KEY=VALUE");
        var name = assignment[..equals].Trim();
        var key = ValueCatalog.Find(name)
            ?? throw new ValuesException($"--set {name}: unknown key; known keys: {string.Join(", ", ValueCatalog.Keys.Select(k => k.Name))}");
        try
        {
            return key.Apply(values, assignment[(equals + 1)..]);
        }
        catch (FormatException e)
        {
            throw new ValuesException($"--set {name}: {e.Message}");
        }
    }

    private static IEnumerable<string> SplitAssignments(string argument)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < argument.Length; i++)
        {
            switch (argument[i])
            {
                case '{': depth++; break;
                case '}': depth--; break;
                case ',' when depth == 0:
                    yield return argument[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return argument[start..];
    }
}
