namespace Mesh.Deploy.Values;

/// <summary>A <c>--set</c> that cannot be taken: an unknown key or a bad value. The message names the key.</summary>
internal sealed class ValuesException(string message) : Exception(message);
