using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// The per-session VncAuth password: plaintext for the gateway in a root-owned file (readable by the gateway group when one is
/// set), obfuscated for Xvnc in the sandbox.
/// </summary>
internal static class VncPassword
{
    // VncAuth uses only the first 8 characters; letters and digits survive every VNC client's input handling.
    private const int Length = 8;
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task<string?> ReadAsync(string secretFile, CancellationToken cancellationToken)
    {
        try
        {
            return (await File.ReadAllTextAsync(secretFile, cancellationToken)).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A new random password of the length VncAuth uses (its DES key takes 8 characters).</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>
    /// Returns the session's password, creating it the first time: mode 0600 for root, or 0640 with group
    /// <paramref name="gatewayGid"/> so that a Web process which is not root can read it.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static async Task<string> EnsureAsync(string secretFile, int? gatewayGid, CancellationToken cancellationToken)
    {
        if (await ReadAsync(secretFile, cancellationToken) is not { Length: Length } password)
        {
            password = Generate();
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            await using var stream = new FileStream(secretFile, options);
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(password);
        }

        // The secrets directory is root's alone, so these path-based calls cannot be redirected by a symlink.
        LibC.ChangeOwner(secretFile, 0, gatewayGid ?? 0);
        File.SetUnixFileMode(secretFile, gatewayGid is null ? OwnerOnly : OwnerOnly | UnixFileMode.GroupRead);
        return password;
    }

    /// <summary>
    /// Writes the password in <c>vncpasswd -f</c> form, the only form Xvnc's <c>-PasswordFile</c> reads, as a new file
    /// <paramref name="name"/> in the open <paramref name="directory"/> (never through a symlink), owned by <paramref name="uid"/>.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static async Task WriteObfuscatedAsync(
        string vncpasswd, string password, SafeFileHandle directory, string name, int uid, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(vncpasswd, "-f")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)
            ?? throw new SandboxStartException($"Cannot run {vncpasswd}.");
        await process.StandardInput.WriteLineAsync(password.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        using var obfuscated = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(obfuscated, cancellationToken);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || obfuscated.Length == 0)
        {
            throw new SandboxStartException($"vncpasswd exited with code {process.ExitCode}: {error.Trim()}");
        }

        // The stream closes the handle, so the owner changes first.
        var file = LibC.CreateNew(directory, name, OwnerOnly);
        LibC.ChangeOwnerAndMode(file, uid, uid, OwnerOnly);
        await using var stream = new FileStream(file, FileAccess.Write);
        await stream.WriteAsync(obfuscated.ToArray(), cancellationToken);
    }
}
