using System.IO.Pipelines;
using System.Net.Sockets;

namespace Mesh.Proxy.Http;

/// <summary>An upstream connection kept alive across requests of one client connection, while they go to the same place.</summary>
internal sealed class UpstreamSession(Socket socket, string key) : IDisposable
{
    public Socket Socket { get; } = socket;

    public PipeReader Reader { get; } = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));

    /// <summary>Where it goes: the rule host and port, or the original destination.</summary>
    public string Key { get; } = key;

    public int RequestsServed { get; set; }

    public void Dispose()
    {
        Reader.Complete();
        Socket.Dispose();
    }
}
