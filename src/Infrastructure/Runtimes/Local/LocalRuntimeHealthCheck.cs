using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>What the local runtime needs to start a session: its binaries, and a data directory it can write.</summary>
public sealed class LocalRuntimeHealthCheck(IOptions<LocalRuntimeOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var missing = new[] { settings.XvncPath, settings.BwrapPath, settings.SetprivPath, settings.SetsidPath, settings.VncPasswdPath, settings.WindowManagerPath }
            .Where(path => !File.Exists(path) || (OperatingSystem.IsLinux() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == UnixFileMode.None))
            .ToList();
        if (missing.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"Not installed or not executable: {string.Join(", ", missing)}");
        }

        var directory = settings.ResolvedDataDirectory;
        if (!Environment.IsPrivilegedProcess)
        {
            // Web without root (Runtime:Local:GatewayGroup) only reads session sockets and secrets; Workers, as root, writes.
            return HealthCheckResult.Healthy($"Xvnc and bubblewrap installed; {directory} is read, not written, by this non-root process");
        }

        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".health-{Environment.ProcessId}");
            await File.WriteAllTextAsync(probe, "ok", cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"The data directory {directory} is not writable: {e.Message}");
        }

        return HealthCheckResult.Healthy($"Xvnc and bubblewrap installed; {directory} writable");
    }
}
