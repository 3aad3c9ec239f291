using System.Buffers;
using Mesh.Protocols.Sniffing;

namespace Mesh.Proxy.Connections;

/// <summary>What the first bytes showed, and the bytes themselves (still held by the reader, to be replayed upstream).</summary>
internal readonly record struct SniffResult(SniffedProtocol Protocol, string Sni, ReadOnlySequence<byte> Buffered, bool TimedOut);
