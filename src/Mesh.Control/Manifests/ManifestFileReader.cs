using System.Security.Cryptography;
using System.Text;

namespace Mesh.Control.Manifests;

/// <summary>What a rescan compares before reading a file again: cheap to get, changes whenever the content does.</summary>
internal readonly record struct FileStamp(DateTime LastWriteUtc, long Length);

/// <summary>A file's text with its stamp and content hash (the hash tells a touched file from an edited one).</summary>
internal sealed record FileContent(FileStamp Stamp, string Hash, string Text);

/// <summary>The only place the control plane reads manifest files; shared by the watcher and the one-shot loader.</summary>
internal static class ManifestFileReader
{
    /// <summary>The stamp of a file, or null when it does not exist (any more).</summary>
    public static FileStamp? Stat(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : null;
    }

    /// <summary>
    /// Reads a file. Null means it does not exist; an <see cref="IOException"/> (say, a file being replaced right now)
    /// propagates so the caller can try again later instead of mistaking it for a deletion.
    /// </summary>
    public static FileContent? Read(string path)
    {
        try
        {
            var stamp = Stat(path);
            if (stamp is null) return null;
            var bytes = File.ReadAllBytes(path);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            return new FileContent(stamp.Value, hash, Encoding.UTF8.GetString(bytes));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
