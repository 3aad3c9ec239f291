namespace Mesh.Hocon;

/// <summary>Substitution lookups.</summary>
internal sealed partial class Resolver
{
    private HoconValue? ResolveSubstitution(RawSubstitution substitution)
    {
        HoconValue? value;
        _emptySelfReference = null;
        try
        {
            value = null;
            var scope = substitution.Scope;
            if (scope.Prefix.Count > 0 || scope.Anchor is not null)
            {
                // Spec "Include semantics: substitution": first relative to where the file was included.
                value = Lookup([.. scope.Prefix, .. substitution.Path], scope.Anchor);
            }

            value ??= Lookup(substitution.Path, null);
        }
        catch (CycleException cycle)
        {
            if (substitution.Optional)
            {
                Depend(cycle.FrameIndex);
                return null;
            }

            throw new HoconException(
                $"substitution cycle: {substitution} needs a value that is still being resolved (it refers back to itself, directly or through other substitutions)",
                substitution.Origin);
        }

        if (value is not null)
        {
            return value;
        }

        if (_environment?.Lookup(substitution.Path) is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (substitution.Optional)
        {
            return null;
        }

        if (_emptySelfReference is { } self)
        {
            throw new HoconException(
                $"could not resolve substitution {substitution}: it refers, directly or through other substitutions, to '{HoconPath.Render(self)}' "
                + "while that field is being defined, and it has no earlier value to refer to (substitution cycle)",
                substitution.Origin);
        }

        var where = _environment is null ? "" : " (nor is there an environment variable of that name)";
        throw new HoconException(
            $"could not resolve substitution {substitution}: '{HoconPath.Render(substitution.Path)}' is not set in the configuration{where}",
            substitution.Origin);
    }

    /// <summary>Finds the resolved value at a path from the root (or from an anchor object); null when it is not set.</summary>
    private HoconValue? Lookup(IReadOnlyList<string> path, RawObject? anchor)
    {
        object? current = anchor ?? _root;
        for (var i = 0; i < path.Count && current is not null; i++)
        {
            // Self-reference replacements are paths from the root; anchored paths never match them.
            var replacement = anchor is null ? FindReplacement(path, i + 1) : null;
            if (replacement is not null)
            {
                Depend(replacement.FrameIndex);
                current = replacement.Target is null ? null : WalkFallback(replacement.Target);
                _emptySelfReference = current is null ? replacement.Path : _emptySelfReference;
            }
            else
            {
                current = Child(current, path[i], path.Take(i).ToList());
            }
        }

        return current switch
        {
            HoconValue value => value,
            RawValue raw => ResolveNode(raw, path, null),
            _ => null,
        };
    }

    /// <summary>The child <paramref name="key"/> of a raw or resolved node: raw when it can be had without resolving more.</summary>
    private object? Child(object current, string key, IReadOnlyList<string> currentPath)
    {
        switch (current)
        {
            case HoconObject obj:
                return obj.TryGetValue(key, out var value) ? value : null;
            case HoconValue:
                return null;
            case RawObject raw:
                return raw.Fields.TryGetValue(key, out var field) ? field : null;
            case RawScalar or RawList:
                return null;
            case RawStack stack when TryPeek(stack, key, out var peeked):
                return peeked;
            default:
                var resolved = ResolveNode((RawValue)current, currentPath, null);
                return resolved is null ? null : Child(resolved, key, currentPath);
        }
    }

    /// <summary>
    /// Finds a key in a stack without resolving it, when the answer is certain: the newest layer that
    /// has the key holds a scalar or list there, or a scalar/list layer hides everything below.
    /// </summary>
    private static bool TryPeek(RawStack stack, string key, out object? found)
    {
        found = null;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            switch (stack[i])
            {
                case RawObject layer when layer.Fields.TryGetValue(key, out var value):
                    found = value;
                    return value.HidesEarlierValues;
                case RawObject:
                    continue;
                case RawScalar or RawList:
                    return true;
                default:
                    return false;
            }
        }

        return stack.OuterFallback is null;
    }

    private object? WalkFallback(Fallback fallback)
    {
        object? current = fallback.Base;
        var path = fallback.BasePath?.ToList() ?? [];
        foreach (var key in fallback.Keys)
        {
            if (current is null)
            {
                return null;
            }

            current = Child(current, key, path);
            path.Add(key);
        }

        return current;
    }

    private Replacement? FindReplacement(IReadOnlyList<string> path, int length)
    {
        for (var r = _replacements; r is not null; r = r.Next)
        {
            if (r.Path.Count == length && StartsWith(path, r.Path))
            {
                return r;
            }
        }

        return null;
    }

    private static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> prefix)
    {
        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(path[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void Depend(int frameIndex)
    {
        if (_frames.Count > 0)
        {
            _frames[^1].Depend(frameIndex);
        }
    }
}
