using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Enrollment;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;
using Mesh.Policy.Model;

namespace Mesh.Kubernetes.Tests.Conversion;

public sealed class NamespaceEnrollmentTests
{
    private static readonly ResourceKey MeshConfig = new(ResourceKind.MeshConfig, "osm-system", "osm-mesh-config");
    private static readonly WatchedResource Namespaces = new MeshResourceCatalog("osm", MeshConfig).EnrolledNamespaces;
    private static readonly Dictionary<string, string> Osm = new() { [MeshResourceCatalog.MonitoredByLabel] = "osm" };

    [Fact]
    public void Only_namespaces_labelled_for_this_mesh_are_enrolled_even_if_the_server_ignored_the_selector()
    {
        var enrollment = new NamespaceEnrollment("osm", MeshConfig);
        Assert.False(enrollment.IsSynced);
        var delta = enrollment.Apply(new ReflectorSynced(Namespaces,
        [
            ApiObjects.Namespace("shop", labels: Osm),
            ApiObjects.Namespace("other", labels: new Dictionary<string, string> { [MeshResourceCatalog.MonitoredByLabel] = "other" }),
            ApiObjects.Namespace("plain"),
        ], "9", [], true, RelistReason.Initial));

        Assert.NotNull(delta);
        Assert.Equal(["shop"], delta.Enrolled);
        Assert.Equal(["shop"], delta.ToChange().Namespaces!);
        Assert.True(enrollment.Counts(new ResourceKey(ResourceKind.Egress, "shop", "e")));
        Assert.False(enrollment.Counts(new ResourceKey(ResourceKind.Egress, "other", "e")));
        Assert.False(enrollment.Counts(new ResourceKey(ResourceKind.HttpRouteGroup, "plain", "r")));
        Assert.True(enrollment.Counts(MeshConfig));
        Assert.False(enrollment.Counts(new ResourceKey(ResourceKind.MeshConfig, "shop", "another")));
    }

    [Fact]
    public void Enrolling_and_unenrolling_report_the_change_and_nothing_else_does()
    {
        var enrollment = new NamespaceEnrollment("osm", MeshConfig);
        enrollment.Apply(new ReflectorSynced(Namespaces, [ApiObjects.Namespace("shop", labels: Osm)], "9", [], true, RelistReason.Initial));

        var added = enrollment.Apply(new ReflectorChanged(Namespaces, new ObjectChange(ChangeType.Added, ApiObjects.Namespace("cart", "10", Osm))));
        Assert.Equal(["cart"], added!.Added);
        Assert.Empty(added.Removed);
        Assert.Null(enrollment.Apply(new ReflectorChanged(Namespaces, new ObjectChange(ChangeType.Modified, ApiObjects.Namespace("cart", "11", Osm)))));

        var removed = enrollment.Apply(new ReflectorChanged(Namespaces, new ObjectChange(ChangeType.Deleted, ApiObjects.Namespace("shop", "12", Osm))));
        Assert.Empty(removed!.Added);
        Assert.Equal(["shop"], removed.Removed);
        Assert.Equal(["cart"], enrollment.Enrolled);
    }
}
