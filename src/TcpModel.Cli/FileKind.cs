using System.Runtime.InteropServices;

namespace TcpModel.Cli;

/// <summary>What a path names, following symbolic links (stat(2), not lstat).</summary>
internal enum FileKind
{
    /// <summary>Nothing (or a dangling symbolic link).</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A FIFO (named pipe).</summary>
    Fifo,
    /// <summary>A character device such as /dev/null.</summary>
    CharacterDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
    /// <summary>A socket or anything else.</summary>
    Other,
}

/// <summary>File-type and real-path queries the .NET file API does not offer: the type of a path
/// (so that only regular files are read or replaced, and a FIFO is never opened by accident) and the
/// canonical path (so that the same file reached twice, or a symbolic-link loop, is noticed).</summary>
internal static partial class FileProbe
{
    /// <summary>The kind of file <paramref name="path"/> names (symbolic links followed).</summary>
    public static FileKind KindOf(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                // System.Native's FileStatus: int Flags, int Mode (S_IFMT bits as in <sys/stat.h>), ...
                var status = new byte[512];
                if (SystemNativeStat(path, status) != 0) return FileKind.Missing;
                return (BitConverter.ToInt32(status, 4) & 0xF000) switch
                {
                    0x8000 => FileKind.Regular,
                    0x4000 => FileKind.Directory,
                    0x1000 => FileKind.Fifo,
                    0x2000 => FileKind.CharacterDevice,
                    0x6000 => FileKind.BlockDevice,
                    _ => FileKind.Other,
                };
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>The canonical absolute path of <paramref name="path"/> (every symbolic link resolved),
    /// or its full path when it cannot be resolved (a dangling link, or no realpath(3)).</summary>
    public static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) return full;
        try
        {
            var p = LibcRealPath(full, IntPtr.Zero);
            if (p == IntPtr.Zero) return full;
            try { return Marshal.PtrToStringUTF8(p) ?? full; }
            finally { LibcFree(p); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return full; }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SystemNativeStat(string path, [Out] byte[] status);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr LibcRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void LibcFree(IntPtr p);
}
