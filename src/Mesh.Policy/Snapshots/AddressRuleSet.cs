using System.Collections.Frozen;
using Mesh.Policy.Model;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// Rules that may be limited to address ranges: a longest-prefix table per address family, plus the first rule
/// that has no range at all. Lookup is one hash probe per distinct prefix length present, most specific first,
/// and allocates nothing.
/// </summary>
internal sealed class AddressRuleSet
{
    private readonly Level[] _v4;
    private readonly Level[] _v6;

    private AddressRuleSet(RuleRef? any, Level[] v4, Level[] v6)
    {
        Any = any;
        _v4 = v4;
        _v6 = v6;
    }

    /// <summary>A rule that applies to every destination address, if any.</summary>
    public RuleRef? Any { get; }

    public RuleRef? Lookup(NetAddress address)
    {
        foreach (var level in address.IsIPv6 ? _v6 : _v4)
        {
            if (level.Entries.TryGetValue(address.Bits & level.Mask, out var rule)) return rule;
        }
        return Any;
    }

    private sealed record Level(UInt128 Mask, FrozenDictionary<UInt128, RuleRef> Entries);

    internal sealed class Builder
    {
        private readonly Dictionary<(bool V6, int Prefix), Dictionary<UInt128, RuleRef>> _levels = [];
        private RuleRef? _any;

        public bool IsEmpty => _any is null && _levels.Count == 0;

        /// <summary>Adds a rule; the first rule added for the same range wins (callers add in policy order).</summary>
        public void Add(RuleRef rule, IReadOnlyList<Cidr> ranges)
        {
            if (ranges.Count == 0)
            {
                _any ??= rule;
                return;
            }
            foreach (var cidr in ranges)
            {
                var key = (cidr.IsIPv6, cidr.PrefixLength);
                if (!_levels.TryGetValue(key, out var entries)) _levels[key] = entries = [];
                entries.TryAdd(cidr.Network.Bits, rule);
            }
        }

        public AddressRuleSet Build()
        {
            Level[] For(bool v6) => [.. _levels
                .Where(l => l.Key.V6 == v6)
                .OrderByDescending(l => l.Key.Prefix)
                .Select(l => new Level(Cidr.Mask(l.Key.Prefix, v6 ? 128 : 32), l.Value.ToFrozenDictionary()))];
            return new AddressRuleSet(_any, For(false), For(true));
        }
    }
}
