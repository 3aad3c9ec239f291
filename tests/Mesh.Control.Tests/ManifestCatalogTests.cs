using Mesh.Control.Manifests;
using Mesh.Control.Validation;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.State;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Control.Tests;

/// <summary>The catalog's kubectl-like rules, without files or actors.</summary>
public sealed class ManifestCatalogTests
{
    private static (string, ManifestLoadResult?) Read(string origin, string? text) =>
        (origin, text is null ? null : ManifestLoader.LoadText(text, origin));

    private static string Changes(CatalogDelta delta) => string.Join(" ", delta.Changes.Select(c => c switch
    {
        ResourceChange.Upserted u => "+" + u.Resource.Key.Name,
        ResourceChange.Deleted d => "-" + d.Key.Name,
        _ => "?",
    }));

    [Fact]
    public void Only_objects_whose_content_changed_are_reported()
    {
        var catalog = new ManifestCatalog();
        Assert.Equal("+a +b", Changes(catalog.Apply([Read("d/f.yaml", Documents(Egress("a", "curl/a", 1), Egress("b", "curl/b", 2)))])));
        Assert.Equal("", Changes(catalog.Apply([Read("d/f.yaml", Documents(Egress("a", "curl/a", 1), Egress("b", "curl/b", 2)))])));
        Assert.Equal("+b", Changes(catalog.Apply([Read("d/f.yaml", Documents(Egress("a", "curl/a", 1), Egress("b", "curl/b", 3)))])));
        // b moved up in the file: re-sent with its new line, so reports and explain point at where it now is.
        Assert.Equal("-a +b", Changes(catalog.Apply([Read("d/f.yaml", Documents(Egress("b", "curl/b", 3)))])));
        Assert.Equal("-b", Changes(catalog.Apply([Read("d/f.yaml", null)])));
        Assert.Empty(catalog.Files);
    }

    [Fact]
    public void A_rename_is_a_move_of_the_same_objects_not_a_deletion()
    {
        var catalog = new ManifestCatalog();
        catalog.Apply([Read("d/old.yaml", Egress("a", "curl/a", 1))]);
        var delta = catalog.Apply([Read("d/old.yaml", null), Read("d/new.yaml", Egress("a", "curl/a", 1))]);
        var moved = Assert.IsType<ResourceChange.Upserted>(Assert.Single(delta.Changes));
        Assert.Equal("d/new.yaml", moved.Resource.Source.Origin);
    }

    [Fact]
    public void A_new_invalid_object_never_takes_effect_and_a_reread_counts_its_rejection_again()
    {
        var catalog = new ManifestCatalog();
        var delta = catalog.Apply([Read("d/f.yaml", Egress("a", "curl/a", 1, "bogus"))]);
        Assert.Empty(delta.Changes);
        Assert.Single(delta.NewRejections);
        Assert.Equal(ObjectState.Rejected, Assert.Single(catalog.Report().Objects).State);
        Assert.Empty(catalog.InForce);
    }

    [Fact]
    public void A_seeded_catalog_keeps_the_last_accepted_version_across_a_restart()
    {
        var first = new ManifestCatalog();
        first.Apply([Read("d/f.yaml", Egress("a", "curl/a", 1))]);
        var restarted = ManifestCatalog.Seed(first.InForce.Values);

        var delta = restarted.Apply([Read("d/f.yaml", Egress("a", "curl/a", 1, "bogus")), Read("d/gone.yaml", null)]);
        Assert.Empty(delta.Changes);
        Assert.Equal(ObjectState.RejectedKeepingPrevious, Assert.Single(restarted.Report().Objects).State);
        Assert.Equal(1, ((EgressPolicy)restarted.InForce.Values.Single()).Ports[0].Number);
    }

    [Fact]
    public void A_duplicate_inside_one_file_keeps_the_first_definition()
    {
        var catalog = new ManifestCatalog();
        var delta = catalog.Apply([Read("d/f.yaml", Documents(Egress("a", "curl/a", 1), Egress("a", "curl/a", 2)))]);
        Assert.Equal(1, ((EgressPolicy)((ResourceChange.Upserted)Assert.Single(delta.Changes)).Resource).Ports[0].Number);
        Assert.Contains("defined again in the same file", Assert.Single(delta.NewRejections).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflicts_are_settled_by_path_order_whatever_the_read_order()
    {
        var catalog = new ManifestCatalog();
        catalog.Apply([Read("d/b.yaml", Egress("a", "curl/a", 2))]);
        var delta = catalog.Apply([Read("d/a.yaml", Egress("a", "curl/a", 1))]);
        Assert.Equal(1, ((EgressPolicy)((ResourceChange.Upserted)Assert.Single(delta.Changes)).Resource).Ports[0].Number);
        Assert.Contains("also defined in d/a.yaml", Assert.Single(delta.NewRejections).ToString(), StringComparison.Ordinal);
        Assert.Equal(new ObjectConflict(new ResourceKey(ResourceKind.Egress, "curl", "a"), "d/a.yaml", "d/b.yaml"), Assert.Single(catalog.Report().Conflicts));
    }

    [Theory]
    [InlineData("a.yaml", true)]
    [InlineData("sub/dir/b.YML", true)]
    [InlineData("c.json", true)]
    [InlineData(".a.yaml.swp", false)]
    [InlineData(".#a.yaml", false)]
    [InlineData("#a.yaml#", false)]
    [InlineData("a.yaml~", false)]
    [InlineData("..data/a.yaml", false)]
    [InlineData(".git/config.yaml", false)]
    [InlineData("notes.txt", false)]
    public void Only_manifests_count(string relative, bool counts) => Assert.Equal(counts, ManifestDirectory.IsManifest(relative));

    [Fact]
    public void The_debounce_waits_for_quiet_but_never_beyond_the_cap()
    {
        var window = new DebounceWindow(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250));
        var t = TimeSpan.FromSeconds(10);
        window.Touch(t);
        Assert.Equal(TimeSpan.FromMilliseconds(50), window.Remaining(t));
        for (var ms = 0; ms <= 400; ms += 20) window.Touch(t + TimeSpan.FromMilliseconds(ms));
        Assert.True(window.Remaining(t + TimeSpan.FromMilliseconds(250)) <= TimeSpan.Zero);
        window.Close();
        Assert.False(window.IsOpen);
    }
}
