using System.Runtime.InteropServices;

namespace StreamSpace.Infrastructure.Sessions.Local;

/// <summary>The two POSIX calls .NET has no managed API for: sending a chosen signal and changing a file's owner.</summary>
internal static class LibC
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    // DllImport rather than LibraryImport: the generated stubs would need AllowUnsafeBlocks for the whole project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LChown(byte[] path, int owner, int group);

    /// <summary>Gives <paramref name="path"/> itself (never a symlink's target) to <paramref name="uid"/>.</summary>
    public static void ChangeOwner(string path, int uid)
    {
        // A NUL-terminated UTF-8 byte array marshals as char* without any string marshalling rules.
        if (LChown(System.Text.Encoding.UTF8.GetBytes(path + "\0"), uid, uid) != 0)
        {
            throw new IOException($"Cannot give {path} to uid {uid}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
