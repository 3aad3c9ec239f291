namespace Mesh.Deploy.Injection;

/// <summary>A pod that cannot be injected as it is (a bad annotation, a half-injected pod). Fails closed: nothing is changed.</summary>
internal sealed class InjectionException(string message) : Exception(message);
