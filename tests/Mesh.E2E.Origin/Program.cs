namespace Mesh.E2E.Origin; internal static class Program { private static int Main() => 0; }
