using Microsoft.AspNetCore.Connections;

namespace Mesh.E2E.Origin;

/// <summary>
/// A server-first service (like MySQL or SMTP): the server speaks first with a banner, then echoes what it gets.
/// A proxy that waits for the client's first bytes to sniff the protocol would deadlock with it.
/// </summary>
internal static class ServerFirstHandler
{
    public const string Banner = "220 mesh-e2e-origin server-first ready\r\n";

    public static async Task HandleAsync(ConnectionContext connection)
    {
        var output = connection.Transport.Output;
        await output.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Banner), connection.ConnectionClosed);
        var input = connection.Transport.Input;
        while (true)
        {
            var read = await input.ReadAsync(connection.ConnectionClosed);
            foreach (var segment in read.Buffer)
            {
                await output.WriteAsync(segment, connection.ConnectionClosed);
            }

            input.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted || read.IsCanceled)
            {
                return;
            }
        }
    }
}
