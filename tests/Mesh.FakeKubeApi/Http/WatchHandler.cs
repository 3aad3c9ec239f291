using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Faults;
using Mesh.FakeKubeApi.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.FakeKubeApi.Http;

/// <summary>
/// A watch: HTTP 200 with a chunked stream of JSON lines <c>{"type":...,"object":...}</c>, from a resourceVersion
/// (or the current state as ADDED events), with BOOKMARKs when allowed, closed after <c>timeoutSeconds</c>. A
/// version older than the compaction point gets an ERROR event with a 410 Status, as kube-apiserver sends it.
/// </summary>
internal sealed class WatchHandler(ObjectStore store, ActiveWatches active)
{
    /// <summary>kube-apiserver closes a watch without timeoutSeconds after a random 30-60 min; the fake after 30.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public async Task ServeAsync(HttpContext context, RequestTarget t, Fault? fault)
    {
        var q = context.Request.Query;
        var filter = ResourceHandlers.Filter(t, q);
        var bookmarks = q["allowWatchBookmarks"].ToString() is "true" or "1";
        var timeout = int.TryParse(q["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : DefaultTimeout;

        if (fault is Fault.Expire { Form: ExpiryForm.HttpStatus })
        {
            throw ApiException.Expired("too old resource version (expired by the test)");
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";

        WatchSubscription subscription;
        try
        {
            subscription = store.Subscribe(filter, q["resourceVersion"], bookmarks);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            await response.StartAsync(context.RequestAborted);
            await WriteEventAsync(response, "ERROR", e.ToStatus(), context.RequestAborted);
            return;
        }

        var watch = active.Open(t.Type.Plural, t.Type.Group, stalled: fault is Fault.Stall);
        using (subscription)
        {
            try
            {
                await response.StartAsync(context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                if (fault is Fault.Expire)
                {
                    await WriteExpiredAsync(response, context.RequestAborted);
                    return;
                }
                await StreamAsync(context, t, subscription, watch, timeout);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away.
            }
            catch (IOException)
            {
                // The client went away mid-write.
            }
            finally
            {
                active.Close(watch);
            }
        }
    }

    private static async Task StreamAsync(HttpContext context, RequestTarget t, WatchSubscription subscription, ActiveWatch watch, TimeSpan timeout)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        using var timer = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, timer.Token);
        while (true)
        {
            switch (watch.State)
            {
                case WatchState.Cut:
                    context.Abort();
                    return;
                case WatchState.Expire:
                    await WriteExpiredAsync(response, aborted);
                    return;
                case WatchState.Stalled:
                    // Send nothing, close nothing (not even at the timeout): only the client or the test ends this.
                    await watch.Changed.WaitAsync(aborted);
                    continue;
            }
            var changed = watch.Changed;
            var ready = subscription.Events.WaitToReadAsync(linked.Token).AsTask();
            try
            {
                await Task.WhenAny(ready, changed);
            }
            catch (OperationCanceledException)
            {
                // Never thrown by WhenAny; kept for clarity of intent.
            }
            if (timer.IsCancellationRequested) return; // timeoutSeconds reached: end the stream normally
            aborted.ThrowIfCancellationRequested();
            if (!ready.IsCompleted) continue; // a test changed the state
            if (!await ready) return; // the store is shutting down
            var wrote = false;
            while (watch.State == WatchState.Flowing && subscription.Events.TryRead(out var e))
            {
                var body = e.Type == WatchEventType.Bookmark ? e.Object : Json.Present(e.Object, t.Type, t.Version);
                await WriteLineAsync(response, e.Type.Wire(), body, aborted);
                wrote = true;
            }
            if (wrote) await response.Body.FlushAsync(aborted);
        }
    }

    private static Task WriteExpiredAsync(HttpResponse response, CancellationToken cancellationToken) =>
        WriteEventAsync(response, "ERROR", ApiException.Expired("too old resource version (expired by the test)").ToStatus(), cancellationToken);

    private static async Task WriteEventAsync(HttpResponse response, string type, JsonObject body, CancellationToken cancellationToken)
    {
        await WriteLineAsync(response, type, body, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteLineAsync(HttpResponse response, string type, JsonObject body, CancellationToken cancellationToken)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = body.DeepClone() }.ToJsonString() + "\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
    }
}
