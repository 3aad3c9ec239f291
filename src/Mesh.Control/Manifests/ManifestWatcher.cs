using System.Diagnostics;
using Akka.Actor;
using Akka.Pattern;
using Mesh.Control.Aggregation;
using Mesh.Control.Sources;
using Mesh.Policy.Loading;
using Microsoft.Extensions.Logging;

namespace Mesh.Control.Manifests;

/// <summary>
/// Watches a folder of manifests and reports the objects it keeps in force to the aggregator. inotify (through
/// <see cref="FileSystemWatcher"/>) gives low latency; a periodic rescan comparing stamps and hashes is the safety net
/// for what inotify can lose (queue overflow, atomic replacements, folders renamed in). Events are debounced
/// (see <see cref="DebounceWindow"/>). Each (re)start sends a full <see cref="Resync"/>, then only changes.
/// <para>
/// Supervision: under a backoff supervisor (<see cref="Props"/>); a restart after a failure reads everything again.
/// Messages that arrive during the backoff are dropped, which costs nothing: they are its own timers and file events,
/// and the fresh incarnation rescans. It first asks the aggregator what is in force (stashing its own events
/// meanwhile), so an object whose file is now invalid keeps its last accepted version across the restart.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it holds in PostStop, which runs once per incarnation.")]
internal sealed class ManifestWatcher : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    public const string Name = "manifest-watcher";

    /// <summary>The name of its <see cref="SourceDefinition"/> (and of its supervisor).</summary>
    public const string SourceName = Name + "-supervisor";
    private const string RescanTimer = "rescan";

    private readonly ManifestWatcherSettings _settings;
    private readonly ManifestDirectory _directory;
    private readonly SourceContext _context;
    private readonly ControlPlaneMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Dictionary<string, FileContent> _lastRead = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly DebounceWindow _debounce;
    private ManifestCatalog _catalog = new();
    private FileSystemWatcher? _watch;
    private PreciseTimer? _flushTimer; // the debounce's: Akka's timers fire on the scheduler's 100 ms ticks
    private bool _rescanAll;
    private ulong _position;

    public ManifestWatcher(ManifestWatcherSettings settings, SourceContext context, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory)
    {
        _settings = settings;
        _directory = settings.Directory;
        _context = context;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("Mesh.Control.ManifestWatcher");
        _debounce = new DebounceWindow(settings.Settle, settings.MaxDelay);
        Receive<InForceResponse>(Seeded);
        ReceiveAny(_ => Stash.Stash());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    private static TimeSpan Now => Stopwatch.GetElapsedTime(0);

    /// <summary>The watcher under its backoff supervisor, which restarts it on any failure, for as long as it takes.</summary>
    public static SourceDefinition Source(ManifestWatcherSettings settings, RestartPolicy restarts, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory) =>
        new(SourceName, context => BackoffSupervisor.Props(
            Backoff.OnFailure(
                    Props.Create(() => new ManifestWatcher(settings, context, metrics, loggerFactory)),
                    Name, restarts.MinBackoff, restarts.MaxBackoff, randomFactor: 0.2, maxNrOfRetries: -1)
                .WithAutoReset(restarts.MaxBackoff)
                .WithSupervisorStrategy(new OneForOneStrategy(static _ => Directive.Restart))), SourceDefinition.AllKinds);

    protected override void PreStart()
    {
        _flushTimer = new PreciseTimer(Self, FlushDue.Instance);
        _context.Aggregator.Tell(GetInForce.Instance);
    }

    protected override void PostRestart(Exception reason)
    {
        _metrics.Restarted(Name);
        base.PostRestart(reason);
    }

    protected override void PostStop()
    {
        _flushTimer?.Dispose();
        _watch?.Dispose();
    }

    private void Seeded(InForceResponse inForce)
    {
        _catalog = ManifestCatalog.Seed(inForce.Objects);
        StartWatching();
        Record(_catalog.Apply(ScanAll()));
        _context.Aggregator.Tell(new Resync(SourceName, [.. _catalog.InForce.Values], [Advance()]));
        Timers.StartPeriodicTimer(RescanTimer, RescanDue.Instance, _settings.RescanInterval);
        Become(Watching);
        Stash.UnstashAll();
    }

    private void Watching()
    {
        Receive<PathsChanged>(m =>
        {
            foreach (var path in m.FullPaths)
            {
                if (_directory.OriginOf(path) is { } origin) _dirty.Add(origin);
            }
            MarkDirty(everything: false);
        });
        Receive<WatchOverflowed>(m =>
        {
            ControlLog.WatchFailed(_logger, _directory.Root, m.Reason);
            MarkDirty(everything: true);
        });
        Receive<RescanDue>(_ =>
        {
            if (_debounce.IsOpen) _rescanAll = true; // a burst is being debounced: the rescan joins its flush
            else Flush(everything: true);
        });
        Receive<FlushDue>(_ =>
        {
            // Also a late one from a burst already flushed (the timer cannot withdraw it): then nothing is dirty, or a
            // new burst is open and waits for its own window.
            var remaining = _debounce.Remaining(Now);
            if (remaining > TimeSpan.Zero) _flushTimer!.Start(remaining);
            else Flush(everything: false);
        });
    }

    private void MarkDirty(bool everything)
    {
        _rescanAll |= everything;
        var opening = !_debounce.IsOpen;
        _debounce.Touch(Now);
        if (opening) _flushTimer!.Start(_debounce.Settle);
    }

    private void Flush(bool everything)
    {
        _debounce.Close();
        _flushTimer!.Cancel();
        var reads = everything || _rescanAll || _dirty.Any(NeedsFullScan) ? ScanAll() : ReadDirty();
        _dirty.Clear();
        _rescanAll = false;
        if (reads.Count == 0) return;
        var delta = _catalog.Apply(reads);
        Record(delta);
        if (delta.Changes.Count == 0) return;
        ControlLog.ChangesFound(_logger, delta.Changes.Count, _directory.Root);
        _context.Aggregator.Tell(new ApplyChanges(delta.Changes, Advance()));
    }

    /// <summary>
    /// The position of what was just read: the newest write in the tree, and in any case further than the last one
    /// (a file restored with an old modification time, by <c>tar</c> or <c>cp -p</c>, still changed the inputs).
    /// </summary>
    private SourcePosition Advance()
    {
        _position = Math.Max(_directory.NewestWrite(), _position + 1);
        return new SourcePosition(Name, _position);
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
            ControlLog.DirectoryMissing(_logger, _directory.Root);
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
            ControlLog.ReadFailed(_logger, origin, e.Message);
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
        foreach (var rejection in delta.NewRejections) ControlLog.Rejected(_logger, rejection.ToString());
        _metrics.AddRejections(delta.NewRejections.Count);
        _context.ControlPlane.Tell(new ValidationReported(SourceName, _catalog.Report()));
    }

    private void StartWatching()
    {
        if (!_directory.Exists) return;
        var self = Self; // the callbacks run on the file system watcher's threads: they only Tell
        try
        {
            _watch = new FileSystemWatcher(_directory.FullRoot)
            {
                IncludeSubdirectories = true,
                InternalBufferSize = 64 * 1024,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watch.Created += (_, e) => self.Tell(new PathsChanged([e.FullPath]));
            _watch.Changed += (_, e) => self.Tell(new PathsChanged([e.FullPath]));
            _watch.Deleted += (_, e) => self.Tell(new PathsChanged([e.FullPath]));
            _watch.Renamed += (_, e) => self.Tell(new PathsChanged([e.OldFullPath, e.FullPath]));
            _watch.Error += (_, e) => self.Tell(new WatchOverflowed(e.GetException().Message));
            _watch.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify watches, say: the periodic rescan still sees every change, only later.
            ControlLog.WatchFailed(_logger, _directory.Root, e.Message);
            _watch?.Dispose();
            _watch = null;
        }
    }
}
