using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// One `mesh run` per test class, under <see cref="AdversaryPolicy"/>, started by the first case and stopped with the
/// class. Cases choose passthrough on or off; the switch returns once the proxy's config_dump shows it applied.
/// </summary>
public sealed class AdversaryMesh : IAsyncLifetime
{
    private ManifestDirectory? _manifests;
    private MeshProcess? _mesh;
    private int _generation;
    private bool? _passthrough;

    internal MeshProcess Process => _mesh ?? throw new InvalidOperationException("no mesh started yet");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_mesh is not null) await _mesh.DisposeAsync();
    }

    /// <summary>Starts the mesh if needed and applies the policy with passthrough on or off.</summary>
    internal async Task<MeshProcess> UseAsync(TestWorld world, bool passthrough)
    {
        if (_mesh is not null && _passthrough == passthrough) return _mesh;
        var generation = ++_generation;
        if (_manifests is null)
        {
            _manifests = world.CreateManifestDirectory();
            _manifests.Write("curl/adversary.yaml", AdversaryPolicy.Manifests(passthrough, generation));
            _mesh = await world.StartMeshAsync(_manifests);
        }
        else
        {
            _manifests.Write("curl/adversary.yaml", AdversaryPolicy.Manifests(passthrough, generation));
        }
        var marker = $"\"curl/{AdversaryPolicy.MarkerName(generation)}\"";
        var dump = await Eventually.UntilAsync(() => _mesh!.AdminGetAsync("/config_dump"),
            r => r.Stdout.Contains(marker, StringComparison.Ordinal), TimeBounds.Answer);
        Assert.True(dump.Stdout.Contains(marker, StringComparison.Ordinal),
            $"the proxy did not apply policy generation {generation} in time; config_dump: {dump}\n{_mesh!.RecentOutput}");
        _passthrough = passthrough;
        return _mesh!;
    }
}
