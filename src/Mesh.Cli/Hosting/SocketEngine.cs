using System.Globalization;

namespace Mesh.Cli.Hosting;

/// <summary>
/// The runtime reads these switches once, when the first socket operation starts the socket engine, so they are set
/// before any socket exists (before the host starts). An explicit environment setting is left as it is.
/// </summary>
internal static class SocketEngine
{
    public static void Configure(bool inline, int engineThreads)
    {
        SetUnlessSet("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", inline ? "1" : "0");
        if (inline)
        {
            var threads = engineThreads > 0 ? engineThreads : Math.Max(2, Environment.ProcessorCount);
            SetUnlessSet("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", threads.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void SetUnlessSet(string variable, string value)
    {
        if (Environment.GetEnvironmentVariable(variable) is null) Environment.SetEnvironmentVariable(variable, value);
    }
}
