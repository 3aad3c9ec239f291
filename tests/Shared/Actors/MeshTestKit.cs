using System.Globalization;
using Akka.Configuration;
using Xunit.Abstractions;

namespace Mesh.Tests.Support;

/// <summary>
/// Akka.TestKit for Mesh's actor tests: every expectation's bound is dilated by <c>MESH_TEST_TIMEFACTOR</c> (mapped
/// onto <c>akka.test.timefactor</c>), so a loaded CI machine stretches them all without touching a test; Akka's own
/// log goes to the test's output.
/// </summary>
public abstract class MeshTestKit(ITestOutputHelper? output, string? extraConfig = null)
    : Akka.TestKit.Xunit2.TestKit(BuildConfig(extraConfig), "mesh-test", output)
{
    public static Config BuildConfig(string? extraConfig = null) =>
        ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture, $"""
            akka.test.timefactor = {Mesh.Tests.Shared.TestTime.Factor}
            akka.loglevel = INFO
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            {extraConfig ?? ""}
            """));
}
