using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// The POSIX calls .NET has no managed API for: sending a chosen signal, changing a file's owner, and opening files by directory
/// handle without following symlinks (root never resolves a path through a directory the member can write).
/// </summary>
internal static class LibC
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    // Linux generic values (x86-64 and arm64 agree on these).
    private const int ReadOnly = 0x0;
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int DirectoryOnly = 0x10000;
    private const int NoFollow = 0x20000;
    private const int CloseOnExec = 0x80000;

    // DllImport rather than LibraryImport: the generated stubs would need AllowUnsafeBlocks for the whole project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LChown(byte[] path, int owner, int group);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern SafeFileHandle Open(byte[] path, int flags, int mode);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern SafeFileHandle OpenAt(SafeFileHandle directory, byte[] name, int flags, int mode);

    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FChown(SafeFileHandle file, int owner, int group);

    [DllImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FChmod(SafeFileHandle file, int mode);

    /// <summary>Gives <paramref name="path"/> itself (never a symlink's target) to <paramref name="uid"/>.</summary>
    public static void ChangeOwner(string path, int uid) => ChangeOwner(path, uid, uid);

    /// <summary>Gives <paramref name="path"/> itself (never a symlink's target) to <paramref name="uid"/> and <paramref name="gid"/>.</summary>
    public static void ChangeOwner(string path, int uid, int gid)
    {
        if (LChown(CString(path), uid, gid) != 0)
        {
            throw new IOException($"Cannot give {path} to uid {uid}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Opens a directory for <c>*At</c> calls; fails if <paramref name="path"/> itself is a symlink.</summary>
    public static SafeFileHandle OpenDirectory(string path) =>
        Checked(Open(CString(path), ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0), path);

    /// <summary>Creates <paramref name="name"/> in <paramref name="directory"/> for writing; fails if anything (a symlink too) is already there.</summary>
    public static SafeFileHandle CreateNew(SafeFileHandle directory, string name, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a single file name.", nameof(name));
        }

        return Checked(OpenAt(directory, CString(name), WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, (int)mode), name);
    }

    /// <summary>Changes the owner and mode of the open file itself, whatever its path now points to.</summary>
    public static void ChangeOwnerAndMode(SafeFileHandle file, int uid, int gid, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (FChown(file, uid, gid) != 0 || FChmod(file, (int)mode) != 0)
        {
            throw new IOException($"Cannot give an open file to uid {uid}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    private static SafeFileHandle Checked(SafeFileHandle handle, string path)
    {
        if (handle.IsInvalid)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            handle.Dispose();
            throw new IOException($"Cannot open {path}: {error}");
        }

        return handle;
    }

    // A NUL-terminated UTF-8 byte array marshals as char* without any string marshalling rules.
    private static byte[] CString(string value) => System.Text.Encoding.UTF8.GetBytes(value + "\0");
}
