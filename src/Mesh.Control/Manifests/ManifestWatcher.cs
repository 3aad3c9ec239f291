using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Mesh.Actors;
using Mesh.Control.Aggregation;
using Mesh.Policy.Loading;

namespace Mesh.Control.Manifests;

/// <summary>
/// Watches a folder of manifests and reports the objects it keeps in force to the aggregator. inotify (through
/// <see cref="FileSystemWatcher"/>) gives low latency; a periodic rescan comparing stamps and hashes is the safety net
/// for what inotify can lose (queue overflow, atomic replacements, folders renamed in). Events are debounced
/// (see <see cref="DebounceWindow"/>). Each (re)start sends a full <see cref="Resync"/>, then only changes.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "An actor releases what it holds in PostStopAsync, which runs once per incarnation.")]
internal sealed class ManifestWatcher : Actor<ManifestWatcherMessage>
{
    private static long s_timerGenerations;

    private readonly ManifestWatcherSettings _settings;
    private readonly ManifestDirectory _directory;
    private readonly IActorRef<PolicyAggregatorMessage> _aggregator;
    private readonly ControlPlaneState _state;
    private readonly ControlPlaneCounters _counters;
    private readonly Dictionary<string, FileContent> _lastRead = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _timers = new();
    private readonly DebounceWindow _debounce;
    private ManifestCatalog _catalog = new();
    private FileSystemWatcher? _watch;
    private bool _rescanAll;
    private long _armedGeneration = -1;
    private int _eventsLost;

    public ManifestWatcher(ManifestWatcherSettings settings, IActorRef<PolicyAggregatorMessage> aggregator, ControlPlaneState state, ControlPlaneCounters counters)
    {
        _settings = settings;
        _directory = settings.Directory;
        _aggregator = aggregator;
        _state = state;
        _counters = counters;
        _debounce = new DebounceWindow(settings.Settle, settings.MaxDelay);
    }

    private static TimeSpan Now => Stopwatch.GetElapsedTime(0);

    protected override async ValueTask PreStartAsync(CancellationToken cancellationToken)
    {
        // Seeded with what is in force, so an object whose file is now invalid keeps its last accepted version
        // even though this incarnation never saw that version.
        _catalog = ManifestCatalog.Seed(_state.Applied?.Objects.Values ?? []);
        StartWatching();
        Record(_catalog.Apply(ScanAll()));
        await _aggregator.SendAsync(new Resync([.. _catalog.InForce.Values]), cancellationToken);
        _ = RescanPeriodicallyAsync(Context.Self, _timers.Token);
    }

    protected override ValueTask PostStopAsync()
    {
        _timers.Cancel();
        _timers.Dispose();
        _watch?.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask HandleAsync(ManifestWatcherMessage message, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _eventsLost, 0) == 1) MarkDirty(everything: true);
        switch (message)
        {
            case PathsChanged { FullPaths: var paths }:
                foreach (var path in paths)
                {
                    if (_directory.OriginOf(path) is { } origin) _dirty.Add(origin);
                }
                MarkDirty(everything: false);
                break;
            case WatchOverflowed { Reason: var reason }:
                ControlLog.WatchFailed(Context.Logger, _directory.Root, reason);
                MarkDirty(everything: true);
                break;
            case RescanDue when !_debounce.IsOpen:
                await FlushAsync(everything: true, cancellationToken);
                break;
            case RescanDue:
                _rescanAll = true; // a burst is being debounced: the rescan joins its flush
                break;
            case FlushDue { Generation: var generation } when generation == _armedGeneration:
                _armedGeneration = -1;
                var remaining = _debounce.Remaining(Now);
                if (remaining > TimeSpan.Zero) Arm(remaining);
                else await FlushAsync(everything: false, cancellationToken);
                break;
        }
    }

    private void MarkDirty(bool everything)
    {
        _rescanAll |= everything;
        _debounce.Touch(Now);
        if (_armedGeneration < 0) Arm(_debounce.Settle);
    }

    private void Arm(TimeSpan delay)
    {
        var generation = Interlocked.Increment(ref s_timerGenerations);
        _armedGeneration = generation;
        _ = TellLaterAsync(Context.Self, delay, new FlushDue(generation), _timers.Token);
    }

    private async ValueTask FlushAsync(bool everything, CancellationToken cancellationToken)
    {
        _debounce.Close();
        var reads = everything || _rescanAll || _dirty.Any(NeedsFullScan) ? ScanAll() : ReadDirty();
        _dirty.Clear();
        _rescanAll = false;
        if (reads.Count == 0) return;
        var delta = _catalog.Apply(reads);
        Record(delta);
        if (delta.Changes.Count == 0) return;
        ControlLog.ChangesFound(Context.Logger, delta.Changes.Count, _directory.Root);
        await _aggregator.SendAsync(new ApplyChanges(delta.Changes), cancellationToken);
    }

    /// <summary>A folder appeared or vanished (renamed, moved, deleted): only a full scan knows which files that touched.</summary>
    private bool NeedsFullScan(string origin)
    {
        if (ManifestDirectory.IsManifest(_directory.RelativeOf(origin))) return false;
        var prefix = origin + Path.DirectorySeparatorChar;
        return Directory.Exists(origin) || _catalog.Files.Any(f => f.StartsWith(prefix, StringComparison.Ordinal));
    }

    private List<(string Origin, ManifestLoadResult? Result)> ScanAll()
    {
        if (!_directory.Exists)
        {
            // Likely an unmounted volume rather than a decision to delete every policy: keep what is in force.
            ControlLog.DirectoryMissing(Context.Logger, _directory.Root);
            return [];
        }
        var present = _directory.EnumerateManifests();
        var reads = new List<(string, ManifestLoadResult?)>();
        foreach (var origin in present)
        {
            if (ReadIfChanged(origin, compareStampFirst: true) is { } read) reads.Add(read);
        }
        foreach (var gone in _catalog.Files.Except(present, StringComparer.Ordinal).ToList())
        {
            _lastRead.Remove(gone);
            reads.Add((gone, null));
        }
        return reads;
    }

    private List<(string Origin, ManifestLoadResult? Result)> ReadDirty()
    {
        var reads = new List<(string, ManifestLoadResult?)>();
        foreach (var origin in _dirty.Where(o => ManifestDirectory.IsManifest(_directory.RelativeOf(o))).Order(StringComparer.Ordinal))
        {
            if (ReadIfChanged(origin, compareStampFirst: false) is { } read) reads.Add(read);
        }
        return reads;
    }

    /// <summary>The file's new content, a deletion (null result), or null when nothing changed or it cannot be read now.</summary>
    private (string Origin, ManifestLoadResult? Result)? ReadIfChanged(string origin, bool compareStampFirst)
    {
        _settings.BeforeRead?.Invoke(origin);
        var known = _lastRead.GetValueOrDefault(origin);
        if (compareStampFirst && known is not null && ManifestFileReader.Stat(origin) == known.Stamp) return null;
        FileContent? content;
        try
        {
            content = ManifestFileReader.Read(origin);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Being replaced or not readable yet: forget the stamp so the next rescan reads it again.
            ControlLog.ReadFailed(Context.Logger, origin, e.Message);
            _lastRead.Remove(origin);
            return null;
        }
        if (content is null)
        {
            _lastRead.Remove(origin);
            return _catalog.Files.Contains(origin) ? (origin, null) : null;
        }
        _lastRead[origin] = content;
        if (known?.Hash == content.Hash && _catalog.Files.Contains(origin)) return null; // touched, not edited
        return (origin, ManifestLoader.LoadText(content.Text, origin));
    }

    private void Record(CatalogDelta delta)
    {
        foreach (var rejection in delta.NewRejections) ControlLog.Rejected(Context.Logger, rejection.ToString());
        _counters.AddRejections(delta.NewRejections.Count);
        _state.Validation = _catalog.Report();
    }

    private void StartWatching()
    {
        if (!_directory.Exists) return;
        var self = Context.Self;
        void Post(ManifestWatcherMessage message)
        {
            // A full mailbox loses the event; remember that, so the next message turns into a full rescan.
            if (!self.Tell(message)) Interlocked.Exchange(ref _eventsLost, 1);
        }
        try
        {
            _watch = new FileSystemWatcher(_directory.FullRoot)
            {
                IncludeSubdirectories = true,
                InternalBufferSize = 64 * 1024,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watch.Created += (_, e) => Post(new PathsChanged([e.FullPath]));
            _watch.Changed += (_, e) => Post(new PathsChanged([e.FullPath]));
            _watch.Deleted += (_, e) => Post(new PathsChanged([e.FullPath]));
            _watch.Renamed += (_, e) => Post(new PathsChanged([e.OldFullPath, e.FullPath]));
            _watch.Error += (_, e) => Post(new WatchOverflowed(e.GetException().Message));
            _watch.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify watches, say: the periodic rescan still sees every change, only later.
            ControlLog.WatchFailed(Context.Logger, _directory.Root, e.Message);
            _watch?.Dispose();
            _watch = null;
        }
    }

    private async Task RescanPeriodicallyAsync(ActorRef<ManifestWatcherMessage> self, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_settings.RescanInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) self.Tell(RescanDue.Instance);
        }
        catch (OperationCanceledException)
        {
            // This incarnation stopped.
        }
    }

    private static async Task TellLaterAsync(ActorRef<ManifestWatcherMessage> self, TimeSpan delay, ManifestWatcherMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            self.Tell(message);
        }
        catch (OperationCanceledException)
        {
            // This incarnation stopped; its successor arms its own timers.
        }
    }
}
