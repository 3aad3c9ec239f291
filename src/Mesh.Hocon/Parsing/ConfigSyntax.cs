namespace Mesh.Hocon;

/// <summary>The three syntaxes the spec's includes understand, chosen by file extension.</summary>
internal enum ConfigSyntax
{
    Hocon,
    Json,
    Properties,
}
