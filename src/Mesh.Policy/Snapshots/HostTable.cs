using System.Collections.Frozen;
using Mesh.Policy.Model;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// Host patterns to values: exact names in one table, <c>*.suffix</c> wildcards in another keyed by suffix.
/// <see cref="Candidates"/> yields the exact entry, then wildcard entries from the longest suffix to the shortest
/// (most specific first), by span lookups that allocate nothing.
/// </summary>
internal sealed class HostTable<T>
    where T : class
{
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _wildcard;
    private readonly bool _hasWildcards;

    public HostTable(IEnumerable<KeyValuePair<HostPattern, T>> entries)
    {
        var list = entries.ToList();
        _exact = list.Where(e => !e.Key.IsWildcard)
            .ToFrozenDictionary(e => e.Key.Text, e => e.Value, StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        var wild = list.Where(e => e.Key.IsWildcard)
            .ToFrozenDictionary(e => e.Key.Text, e => e.Value, StringComparer.OrdinalIgnoreCase);
        _hasWildcards = wild.Count > 0;
        _wildcard = wild.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public CandidateEnumerator Candidates(ReadOnlySpan<char> host) => new(this, host.TrimEnd('.'));

    /// <summary>Walks exact, then each shorter suffix; a struct enumerator so <c>foreach</c> allocates nothing.</summary>
    public ref struct CandidateEnumerator
    {
        private readonly HostTable<T> _table;
        private readonly ReadOnlySpan<char> _host;
        private int _position; // -1: exact not tried yet; otherwise index after the last label cut

        internal CandidateEnumerator(HostTable<T> table, ReadOnlySpan<char> host)
        {
            _table = table;
            _host = host;
            _position = -1;
            Current = null!;
        }

        public T Current { get; private set; }

        public readonly CandidateEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_host.IsEmpty) return false;
            if (_position == -1)
            {
                _position = 0;
                if (_table._exact.TryGetValue(_host, out var exact))
                {
                    Current = exact;
                    return true;
                }
            }
            if (!_table._hasWildcards) return false;
            while (true)
            {
                var dot = _host[_position..].IndexOf('.');
                if (dot < 0) return false;
                _position += dot + 1;
                if (_table._wildcard.TryGetValue(_host[_position..], out var value))
                {
                    Current = value;
                    return true;
                }
            }
        }
    }
}
