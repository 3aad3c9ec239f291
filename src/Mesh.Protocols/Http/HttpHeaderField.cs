namespace Mesh.Protocols.Http;

/// <summary>Where one field line's name and (OWS-trimmed) value sit inside the head's raw bytes.</summary>
internal readonly record struct HttpHeaderField(int NameStart, int NameLength, int ValueStart, int ValueLength);
