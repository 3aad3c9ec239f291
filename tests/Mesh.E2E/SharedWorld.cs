using System.Runtime.Versioning;
using Mesh.E2E.World;

// One world, one test at a time: the tests share namespaces, ports and the origin log. xunit 2 honours
// [Fact(Timeout)] only with parallelization off, and every test here is bounded by one.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Network namespaces, iptables and setpriv: the world exists only on Linux.
[assembly: SupportedOSPlatform("linux")]

namespace Mesh.E2E;

/// <summary>The xunit collection every end-to-end test joins, so they all share one <see cref="TestWorld"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SharedWorld : ICollectionFixture<TestWorld>
{
    public const string Name = "end-to-end world";
}
