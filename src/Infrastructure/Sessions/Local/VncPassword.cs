using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace StreamSpace.Infrastructure.Sessions.Local;

/// <summary>The per-session VncAuth password: plaintext for the gateway in a root-only file, obfuscated for Xvnc in the sandbox.</summary>
internal static class VncPassword
{
    // VncAuth uses only the first 8 characters; letters and digits survive every VNC client's input handling.
    private const int Length = 8;
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

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

    /// <summary>Returns the session's password, creating it (mode 0600) the first time.</summary>
    [SupportedOSPlatform("linux")]
    public static async Task<string> EnsureAsync(string secretFile, CancellationToken cancellationToken)
    {
        if (await ReadAsync(secretFile, cancellationToken) is { Length: Length } existing)
        {
            return existing;
        }

        var password = Generate();
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await using (var stream = new FileStream(secretFile, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(password);
        }

        File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    /// <summary>Writes the password in <c>vncpasswd -f</c> form, the only form Xvnc's <c>-PasswordFile</c> reads.</summary>
    [SupportedOSPlatform("linux")]
    public static async Task WriteObfuscatedAsync(string vncpasswd, string password, string path, CancellationToken cancellationToken)
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

        await File.WriteAllBytesAsync(path, obfuscated.ToArray(), cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
