using Mesh.Control.Validation;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Control.Manifests;

/// <summary>
/// The objects a set of manifest files keeps in force, and why. Pure: callers read the files and hand over what
/// they found. When two files define the same object, the first by ordinal path order is in force, so the outcome
/// never depends on the order files were read or events arrived.
/// </summary>
internal sealed class ManifestCatalog
{
    private readonly SortedDictionary<string, ManifestFileEntry> _files = new(StringComparer.Ordinal);
    private Dictionary<ResourceKey, MeshResource> _inForce = [];
    private List<ObjectConflict> _conflicts = [];

    /// <summary>
    /// A catalog that starts from objects already in force (the aggregator's last state), grouped by the file they
    /// came from. A watcher restarted after a crash uses it so "keep the last accepted version" survives the restart.
    /// </summary>
    public static ManifestCatalog Seed(IEnumerable<MeshResource> inForce)
    {
        var catalog = new ManifestCatalog();
        foreach (var byFile in inForce.GroupBy(r => r.Source.Origin, StringComparer.Ordinal))
        {
            catalog._files[byFile.Key] = ManifestFileEntry.Seeded(byFile.Key, byFile);
        }
        catalog.Settle();
        return catalog;
    }

    /// <summary>The files the catalog knows of, by origin.</summary>
    public IReadOnlyCollection<string> Files => _files.Keys;

    public IReadOnlyDictionary<ResourceKey, MeshResource> InForce => _inForce;

    /// <summary>Takes new file contents (a null result means the file is gone) and returns what changed in force.</summary>
    public CatalogDelta Apply(IEnumerable<(string Origin, ManifestLoadResult? Result)> reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var rejections = new List<ValidationError>();
        foreach (var (origin, result) in reads)
        {
            if (result is null)
            {
                _files.Remove(origin);
                continue;
            }
            var entry = ManifestFileEntry.Read(origin, result, _files.GetValueOrDefault(origin));
            _files[origin] = entry;
            rejections.AddRange(entry.Errors);
        }

        var before = _inForce;
        var conflictsBefore = _conflicts.ToHashSet();
        Settle();
        rejections.AddRange(_conflicts.Where(c => !conflictsBefore.Contains(c)).Select(ConflictError));
        return new CatalogDelta(ResourceDiff.Between(before, _inForce), rejections);
    }

    public ValidationReport Report()
    {
        var shadowed = _conflicts.Select(c => (c.Key, c.IgnoredFile)).ToHashSet();
        var objects = _files.Values
            .SelectMany(f => f.Statuses)
            .Select(s => s.State == ObjectState.Accepted && shadowed.Contains((s.Key, s.File)) ? s with { State = ObjectState.Shadowed } : s)
            .ToList();
        var rejections = _files.Values.SelectMany(f => f.Errors).Concat(_conflicts.Select(ConflictError)).ToList();
        var syntax = _files.Values.Select(f => f.SyntaxError).OfType<ValidationError>().ToList();
        var ignored = _files.Values.SelectMany(f => f.Ignored).ToList();
        return new ValidationReport(objects, rejections, syntax, [.. _conflicts], ignored);
    }

    private void Settle()
    {
        var inForce = new Dictionary<ResourceKey, MeshResource>();
        var owners = new Dictionary<ResourceKey, string>();
        var conflicts = new List<ObjectConflict>();
        foreach (var (origin, entry) in _files)
        {
            foreach (var (key, value) in entry.InForce)
            {
                if (owners.TryGetValue(key, out var owner))
                {
                    conflicts.Add(new ObjectConflict(key, owner, origin));
                    continue;
                }
                owners[key] = origin;
                inForce[key] = value;
            }
        }
        _inForce = inForce;
        _conflicts = conflicts;
    }

    private ValidationError ConflictError(ObjectConflict conflict)
    {
        var line = _files.TryGetValue(conflict.IgnoredFile, out var entry) && entry.InForce.TryGetValue(conflict.Key, out var ignored)
            ? ignored.Source.Line
            : 0;
        return new ValidationError(new SourceLocation(conflict.IgnoredFile, line), conflict.Key, "",
            $"also defined in {conflict.InForceFile}, which comes first by path and stays in force; this definition is ignored");
    }
}
