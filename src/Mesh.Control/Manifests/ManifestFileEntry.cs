using Mesh.Control.Validation;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;

namespace Mesh.Control.Manifests;

/// <summary>
/// What one file contributes, following <c>kubectl apply</c>: valid objects are in force; an object whose new version
/// is invalid keeps its previous version from this file; a file that no longer parses keeps everything it defined.
/// </summary>
internal sealed class ManifestFileEntry
{
    private ManifestFileEntry(
        string origin,
        IReadOnlyDictionary<ResourceKey, MeshResource> inForce,
        IReadOnlyList<ObjectStatus> statuses,
        IReadOnlyList<ValidationError> errors,
        ValidationError? syntaxError,
        IReadOnlyList<IgnoredObject> ignored)
    {
        Origin = origin;
        InForce = inForce;
        Statuses = statuses;
        Errors = errors;
        SyntaxError = syntaxError;
        Ignored = ignored;
    }

    public string Origin { get; }

    /// <summary>The objects this file keeps in force, before conflicts with other files are settled.</summary>
    public IReadOnlyDictionary<ResourceKey, MeshResource> InForce { get; }

    public IReadOnlyList<ObjectStatus> Statuses { get; }

    /// <summary>Every rejection found in this file's current content (the syntax error included).</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    public ValidationError? SyntaxError { get; }

    public IReadOnlyList<IgnoredObject> Ignored { get; }

    /// <summary>A file known only from objects already in force (after a restart): as if it had been read and accepted.</summary>
    public static ManifestFileEntry Seeded(string origin, IEnumerable<MeshResource> resources)
    {
        var inForce = resources.ToDictionary(r => r.Key);
        var statuses = inForce.Keys.Select(k => new ObjectStatus(k, origin, ObjectState.Accepted, [])).ToList();
        return new ManifestFileEntry(origin, inForce, statuses, [], null, []);
    }

    public static ManifestFileEntry Read(string origin, ManifestLoadResult result, ManifestFileEntry? previous)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.SyntaxError is { } syntax ? Unreadable(origin, syntax, previous) : Readable(origin, result, previous);
    }

    private static ManifestFileEntry Unreadable(string origin, ValidationError syntax, ManifestFileEntry? previous)
    {
        var kept = previous?.InForce ?? new Dictionary<ResourceKey, MeshResource>();
        var statuses = kept.Keys.Select(k => new ObjectStatus(k, origin, ObjectState.KeptFromUnreadableFile, [syntax])).ToList();
        return new ManifestFileEntry(origin, kept, statuses, [syntax], syntax, previous?.Ignored ?? []);
    }

    private static ManifestFileEntry Readable(string origin, ManifestLoadResult result, ManifestFileEntry? previous)
    {
        var inForce = new Dictionary<ResourceKey, MeshResource>();
        var statuses = new List<ObjectStatus>();
        var errors = new List<ValidationError>(result.Errors);
        var errorsByKey = result.Errors.Where(e => e.Key is not null).ToLookup(e => e.Key!.Value);
        foreach (var resource in result.Resources)
        {
            if (inForce.ContainsKey(resource.Key))
            {
                // Two documents of one file define the same object: the first counts, as it would across files.
                errors.Add(new ValidationError(resource.Source, resource.Key, "", "defined again in the same file; the first definition is in force"));
                continue;
            }
            inForce[resource.Key] = resource;
            statuses.Add(new ObjectStatus(resource.Key, origin, ObjectState.Accepted, [.. errorsByKey[resource.Key]]));
        }

        foreach (var rejected in errorsByKey)
        {
            if (inForce.ContainsKey(rejected.Key)) continue; // a valid definition of it exists in this file
            if (previous?.InForce.TryGetValue(rejected.Key, out var last) == true)
            {
                inForce[rejected.Key] = last;
                statuses.Add(new ObjectStatus(rejected.Key, origin, ObjectState.RejectedKeepingPrevious, [.. rejected]));
            }
            else
            {
                statuses.Add(new ObjectStatus(rejected.Key, origin, ObjectState.Rejected, [.. rejected]));
            }
        }
        return new ManifestFileEntry(origin, inForce, statuses, errors, null, result.Ignored);
    }
}
