using System.Runtime.CompilerServices;

namespace Mesh.Hocon;

/// <summary>
/// Resolves substitutions lazily and in place of the parsed tree (spec "Substitutions"):
/// <list type="bullet">
/// <item>A lookup walks the raw tree and resolves only what lies on its path, so fields of an object
/// can refer to each other while the object itself is being resolved.</item>
/// <item>A self-referential field sees the value it overrides: while a field's value is resolved, its
/// own path is "replaced" by the earlier layers of its stack (or by nothing).</item>
/// <item>Re-entering a node that is being resolved is a cycle: an error, or "undefined" for an
/// optional substitution.</item>
/// <item>Each node is resolved once (memo) unless its result depended on a replacement or cycle cut
/// made by an enclosing node, in which case it is recomputed where it is needed again.</item>
/// </list>
/// </summary>
internal sealed partial class Resolver
{
    /// <summary>Longer chains of substitutions than this are reported instead of risking the stack.</summary>
    private const int MaxFrames = 1000;

    private readonly RawObject _root;
    private readonly EnvironmentLookup? _environment;
    private readonly Dictionary<RawValue, HoconValue?> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly List<Frame> _frames = [];
    private Replacement? _replacements;

    /// <summary>Set when a lookup met a self-reference with no earlier value, to explain the error.</summary>
    private IReadOnlyList<string>? _emptySelfReference;

    private Resolver(RawObject root, HoconResolveOptions options)
    {
        _root = root;
        _environment = EnvironmentLookup.From(options);
    }

    public static HoconObject Resolve(RawObject root, HoconResolveOptions options)
    {
        var resolver = new Resolver(root, options);
        try
        {
            return (HoconObject)resolver.ResolveNode(root, [], null)!;
        }
        catch (CycleException cycle)
        {
            throw new HoconException("substitution cycle: a value depends on itself", cycle.Node.Origin, cycle);
        }
        catch (InsufficientExecutionStackException ex)
        {
            throw new HoconException("substitutions or objects are nested too deeply to resolve", root.Origin, ex);
        }
    }

    /// <param name="path">Where the node sits, or null inside a list (no self-references there).</param>
    /// <param name="fallback">The value this node overrides, when it is part of a layered object.</param>
    private HoconValue? ResolveNode(RawValue node, IReadOnlyList<string>? path, Fallback? fallback)
    {
        if (node is RawScalar scalar)
        {
            return scalar.ToValue();
        }

        if (_memo.TryGetValue(node, out var cached))
        {
            return cached;
        }

        var inProgress = _frames.FindIndex(f => ReferenceEquals(f.Node, node));
        if (inProgress >= 0)
        {
            throw new CycleException(node, inProgress);
        }

        if (_frames.Count >= MaxFrames)
        {
            throw new HoconException($"substitutions refer to each other more than {MaxFrames} levels deep", node.Origin);
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        var index = _frames.Count;
        var frame = new Frame(node);
        _frames.Add(frame);
        var saved = _replacements;
        HoconValue? result;
        try
        {
            result = node switch
            {
                RawList list => ResolveList(list),
                RawObject obj => ResolveObject(obj, path, fallback),
                RawStack stack => ResolveStack(stack, path, fallback),
                _ => ResolveSelfReferencing(node, path, fallback, index),
            };
        }
        finally
        {
            _replacements = saved;
            _frames.RemoveAt(index);
            if (index > 0)
            {
                _frames[index - 1].Depend(frame.MinDependency);
            }
        }

        if (frame.MinDependency >= index)
        {
            _memo[node] = result;
        }

        return result;
    }

    private HoconList ResolveList(RawList list)
    {
        var items = new List<HoconValue>(list.Items.Count);
        foreach (var item in list.Items)
        {
            // An optional substitution that is not found drops out of the list.
            if (ResolveNode(item, null, null) is { } value)
            {
                items.Add(value);
            }
        }

        return new HoconList(items, list.Origin);
    }

    private HoconObject ResolveObject(RawObject obj, IReadOnlyList<string>? path, Fallback? fallback)
    {
        var fields = new OrderedDictionary<string, HoconValue>(obj.Fields.Count, StringComparer.Ordinal);
        foreach (var (key, raw) in obj.Fields)
        {
            IReadOnlyList<string>? childPath = path is null ? null : [.. path, key];
            if (ResolveNode(raw, childPath, fallback?.Child(key)) is { } value)
            {
                fields[key] = value;
            }
        }

        return new HoconObject(fields, obj.Origin, obj.IgnoresFallbacks);
    }

    /// <summary>
    /// The newest layer wins unless it is an object, which merges over the resolved older layers. An
    /// optional substitution that is not found leaves the older value in place. Older layers hidden by
    /// a non-object are never resolved, so their errors do not matter.
    /// </summary>
    private HoconValue? ResolveStack(RawStack stack, IReadOnlyList<string>? path, Fallback? fallback)
    {
        if (fallback is not null)
        {
            stack.OuterFallback = fallback;
        }

        var top = stack[stack.Count - 1];
        var below = stack.Count > 1 ? new Fallback(stack.Prefix(stack.Count - 1), path, []) : stack.OuterFallback;
        HoconValue? result;
        if (top is RawSubstitution or RawConcat)
        {
            var saved = _replacements;
            AddReplacement(path, below, _frames.Count - 1);
            try
            {
                result = ResolveExpression(top, path);
            }
            finally
            {
                _replacements = saved;
            }
        }
        else
        {
            result = ResolveNode(top, path, below);
        }

        if (result is null)
        {
            return ResolveFallback(below);
        }

        if (result is not HoconObject obj)
        {
            return result;
        }

        return ResolveFallback(below) switch
        {
            HoconObject under => ObjectMerge.Merge(obj, under),
            null => obj,
            _ => ObjectMerge.HidingFallbacks(obj),
        };
    }

    private HoconValue? ResolveSelfReferencing(RawValue node, IReadOnlyList<string>? path, Fallback? fallback, int frameIndex)
    {
        AddReplacement(path, fallback, frameIndex);
        return ResolveExpression(node, path);
    }

    private HoconValue? ResolveExpression(RawValue node, IReadOnlyList<string>? path) => node switch
    {
        RawSubstitution substitution => ResolveSubstitution(substitution),
        RawConcat concat => ResolveConcat(concat, path),
        _ => ResolveNode(node, path, null),
    };

    private HoconValue? ResolveConcat(RawConcat concat, IReadOnlyList<string>? path)
    {
        var parts = new List<ConcatPart>(concat.Parts.Count);
        foreach (var part in concat.Parts)
        {
            parts.Add(part switch
            {
                RawScalar { IsWhitespace: true } space => new ConcatPart(space.ToValue(), true, space.Origin),
                RawSubstitution substitution => new ConcatPart(ResolveSubstitution(substitution), false, part.Origin),
                _ => new ConcatPart(ResolveNode(part, path, null), false, part.Origin),
            });
        }

        return ConcatCombiner.Combine(parts, concat.Origin);
    }

    private HoconValue? ResolveFallback(Fallback? fallback) => fallback is null ? null : WalkFallback(fallback) switch
    {
        HoconValue value => value,
        RawValue raw => ResolveNode(raw, fallback.FullPath, null),
        _ => null,
    };

    /// <summary>Self-references to <paramref name="path"/> see <paramref name="target"/> from now on.</summary>
    private void AddReplacement(IReadOnlyList<string>? path, Fallback? target, int frameIndex)
    {
        if (path is { Count: > 0 })
        {
            _replacements = new Replacement(path, target, frameIndex, _replacements);
        }
    }

    private sealed record Replacement(IReadOnlyList<string> Path, Fallback? Target, int FrameIndex, Replacement? Next);

    private sealed class Frame(RawValue node)
    {
        public RawValue Node { get; } = node;

        /// <summary>The outermost frame whose temporary state (a replacement or a cycle cut) this result used.</summary>
        public int MinDependency { get; private set; } = int.MaxValue;

        public void Depend(int frameIndex) => MinDependency = Math.Min(MinDependency, frameIndex);
    }

    private sealed class CycleException(RawValue node, int frameIndex) : Exception("substitution cycle")
    {
        public RawValue Node { get; } = node;

        public int FrameIndex { get; } = frameIndex;
    }
}
