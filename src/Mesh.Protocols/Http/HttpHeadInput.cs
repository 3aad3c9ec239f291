using System.Buffers;

namespace Mesh.Protocols.Http;

/// <summary>
/// Presents the bytes a head parser may examine as one span. A single-segment buffer is used in
/// place; a multi-segment one is copied (at most <c>maxBytes</c>) into the head's reusable scratch
/// buffer, which is also where a completed head is kept, so the common case copies once.
/// </summary>
internal static class HttpHeadInput
{
    public static ReadOnlySpan<byte> GetContiguous(in ReadOnlySequence<byte> buffer, int maxBytes, HttpMessageHead head)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (buffer.IsSingleSegment || first.Length >= maxBytes)
        {
            return first.Length > maxBytes ? first[..maxBytes] : first;
        }

        int length = (int)Math.Min(buffer.Length, maxBytes);
        Span<byte> scratch = head.GetScratch(length);
        buffer.Slice(0, length).CopyTo(scratch);
        return scratch;
    }
}
