using Mesh.Kubernetes.Access;
using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// Keeps a sink in step with one resource of the API server, as client-go's Reflector does: list (in pages), then
/// watch from the list's resourceVersion with bookmarks, for months. Not an actor: an async loop that an actor
/// starts in PreStart (<see cref="RunAsync"/> with a token it cancels in PostStop) and that reports to an
/// <see cref="IReflectorSink"/>, which the actor turns into messages to itself.
/// </summary>
/// <remarks>
/// The rules, each counted in <see cref="ReflectorMetrics"/>:
/// <list type="bullet">
/// <item>Every watch asks the server to close after a random 5-10 min (spreading reconnects) and is closed by the
/// reflector itself if the server does not; then it resumes from the last resourceVersion, no relist.</item>
/// <item>410 Gone/Expired (an HTTP status, or an ERROR event carrying a Status) leads to a relist. After every
/// relist the cache is diffed: deletions made while away are reported, unchanged objects are not.</item>
/// <item>A watch event whose resourceVersion the cache already holds is dropped: nothing is reported twice.</item>
/// <item>Failures back off exponentially with jitter, 0.8 s to 30 s, reset after 2 min without one; 429 waits at
/// least Retry-After; 401/403 are reported loudly (naming verb and resource) and retried every 30 s.</item>
/// <item>A watch that sends nothing (bookmarks included) and does not close within the stall bound is closed and
/// reopened from its last resourceVersion.</item>
/// <item>Other watch failures (5xx, cut connections) resume the watch from the last resourceVersion; a 410 there
/// then forces the relist. List failures retry the list.</item>
/// </list>
/// Time comes from an injected <see cref="TimeProvider"/> (timeouts, stall bound, backoff), randomness from an
/// injected <see cref="Random"/>, so tests drive both.
/// </remarks>
public sealed partial class Reflector
{
    private readonly IResourceClient _client;
    private readonly IReflectorSink _sink;
    private readonly ReflectorMetrics _metrics;
    private readonly ReflectorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ExponentialBackoff _backoff;
    private readonly ReflectorCache _cache = new();
    private readonly string _label;

    /// <summary>The resourceVersion to watch from; null when a (re)list is due.</summary>
    private string? _resourceVersion;
    private RelistReason _relistReason = RelistReason.Initial;
    private bool _synced;
    private bool _absent;
    private int _consecutiveFailures;
    private int _expiredInARow;
    private int _shortWatchesInARow;

    public Reflector(IResourceClient client, IReflectorSink sink, ReflectorMetrics metrics,
        ReflectorOptions? options = null, TimeProvider? time = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(metrics);
        _client = client;
        _sink = sink;
        _metrics = metrics;
        _options = options ?? ReflectorOptions.Default;
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _backoff = new ExponentialBackoff(_options, _time, _random);
        _label = client.Resource.Name;
    }

    public WatchedResource Resource => _client.Resource;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then returns (it does not throw for that).
    /// API failures never end it. Only an exception thrown by the sink does (wrapped in <see cref="ReflectorSinkException"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var verb = _resourceVersion is null ? ResourceVerb.List : ResourceVerb.Watch;
            try
            {
                if (_resourceVersion is null)
                {
                    await RelistAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await WatchOnceAsync(_resourceVersion, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ReflectorSinkException)
            {
                throw;
            }
            catch (Exception e)
            {
                var failure = ApiFailure.From(e, _time);
                if (!await RecoverAsync(verb, failure, cancellationToken).ConfigureAwait(false)) return;
            }
        }
    }

    /// <summary>Counts, reports and waits out one failure; false when cancelled meanwhile.</summary>
    private async Task<bool> RecoverAsync(string verb, ApiFailure failure, CancellationToken cancellationToken)
    {
        _consecutiveFailures++;
        _metrics.Failures.WithLabels(_label, KindLabel(failure.Kind), verb).Inc();
        var delay = TimeSpan.Zero;
        var quiet = false;
        switch (failure.Kind)
        {
            case FailureKind.Expired:
                _metrics.Expired.WithLabels(_label, failure.ExpiredForm ?? "http_status").Inc();
                if (verb == ResourceVerb.Watch) _metrics.WatchEnds.WithLabels(_label, "expired").Inc();
                _resourceVersion = null;
                _relistReason = RelistReason.Expired;
                // The first 410 relists at once, as client-go does; a second in a row without progress backs off,
                // so a server that keeps expiring cannot spin the loop.
                if (_expiredInARow++ > 0) delay = _backoff.Next();
                break;
            case FailureKind.NotFound:
                // The CRD is not installed (or was removed): there are no objects. Say so once, keep looking.
                _resourceVersion = null;
                _relistReason = RelistReason.AfterFailure;
                quiet = !ReportAbsent();
                delay = _backoff.Next();
                break;
            case FailureKind.Unauthorized or FailureKind.Forbidden:
                delay = Max(_backoff.Next(), _options.AuthRetryDelay);
                break;
            case FailureKind.Throttled or FailureKind.ServerError:
                delay = Max(_backoff.Next(), Min(failure.RetryAfter ?? TimeSpan.Zero, _options.MaxRetryAfter));
                break;
            case FailureKind.Unexpected:
                // An answer Mesh could not read: read the whole state again rather than resume past it.
                _resourceVersion = null;
                _relistReason = RelistReason.AfterFailure;
                delay = _backoff.Next();
                break;
            default:
                // Stalled, short watches, transport: resume from the last resourceVersion after a pause.
                delay = _backoff.Next();
                break;
        }
        if (verb == ResourceVerb.Watch && failure.Kind is not (FailureKind.Expired or FailureKind.Stalled or FailureKind.ShortWatch))
        {
            _metrics.WatchEnds.WithLabels(_label, "failed").Inc();
        }
        // The wait starts before the report, so whoever reads the report (a test driving a fake clock) knows the
        // timer is already running.
        var wait = delay > TimeSpan.Zero ? Task.Delay(delay, _time, cancellationToken) : Task.CompletedTask;
        if (delay > TimeSpan.Zero)
        {
            _metrics.Backoffs.WithLabels(_label).Inc();
            _metrics.BackoffSeconds.WithLabels(_label).Inc(delay.TotalSeconds);
        }
        if (!quiet)
        {
            Report(() => _sink.Failed(new ReflectorFailed(Resource, failure.Kind, verb,
                FailureMessages.For(Resource, verb, failure, delay), delay, _consecutiveFailures)));
        }
        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Progress was made (a list, or a watch event): consecutive-failure counts start over.</summary>
    private void MadeProgress()
    {
        _consecutiveFailures = 0;
        _expiredInARow = 0;
        _absent = false;
    }

    /// <summary>Calls the sink; an exception from it ends the loop instead of being taken for an API failure.</summary>
    private static void Report(Action report)
    {
        try
        {
            report();
        }
        catch (Exception e)
        {
            throw new ReflectorSinkException(e);
        }
    }

    private static string KindLabel(FailureKind kind) => kind switch
    {
        FailureKind.Expired => "expired",
        FailureKind.Throttled => "throttled",
        FailureKind.ServerError => "server_error",
        FailureKind.Unauthorized => "unauthorized",
        FailureKind.Forbidden => "forbidden",
        FailureKind.NotFound => "not_found",
        FailureKind.Stalled => "stalled",
        FailureKind.ShortWatch => "short_watch",
        FailureKind.Transport => "transport",
        _ => "unexpected",
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
