using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Mesh.Kubernetes.Access;

/// <summary>
/// Adapts the client library's watch enumerables to what a reflector needs.
/// </summary>
/// <remarks>
/// Two behaviours of KubernetesClient 21 are corrected here. (1) It hands an ERROR event (a Status, such as 410
/// Expired) to <c>onError</c> and does not yield it; without an <c>onError</c> that throws, a 410 is lost. So
/// <see cref="ThrowOnError"/> rethrows it, and the enumeration ends with that exception. (2) It reads the first
/// line of the stream before the watch call returns, and a stream the server closes without any line (a quiet
/// watch reaching its timeout) surfaces as an <see cref="EndOfStreamException"/> (possibly wrapped); that is a
/// normal end, so it ends the enumeration quietly.
/// </remarks>
internal static class WatchStreams
{
    public static readonly Action<Exception> ThrowOnError = static e => ExceptionDispatchInfo.Capture(e).Throw();

    public static async IAsyncEnumerable<WatchEvent> Adapt<T>(
        IAsyncEnumerable<(k8s.WatchEventType Type, T Item)> source,
        Func<T, Objects.KubeObject> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var enumerator = source.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (IsEmptyStreamEnd(e) && !cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                if (!more) yield break;
                var (type, item) = enumerator.Current;
                yield return new WatchEvent(type, read(item));
            }
        }
    }

    private static bool IsEmptyStreamEnd(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is EndOfStreamException) return true;
        }
        return false;
    }
}
