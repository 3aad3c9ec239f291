namespace Mesh.E2E.Origin;

/// <summary>
/// The "internet" of the end-to-end tests. Serve mode runs HTTP, HTTPS and server-first TCP origins that log
/// every connection; probe mode is a tiny server-first client (curl cannot wait for a banner and exit).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        OriginOptions options;
        try
        {
            options = OriginOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"origin: {e.Message}");
            return 2;
        }

        return options.ProbeTarget is { } target
            ? await ServerFirstProbe.RunAsync(target, options.ProbeTimeout)
            : await OriginServer.RunAsync(options);
    }
}
