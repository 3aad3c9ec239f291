namespace Mesh.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("mesh: not yet wired; see README.md");
        return args.Length == 0 ? 2 : 2;
    }
}
