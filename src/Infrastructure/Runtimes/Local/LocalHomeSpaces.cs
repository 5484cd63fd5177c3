using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// The filesystem under a member's home on this machine (<c>statvfs</c>, through <see cref="DriveInfo"/>): the same home
/// the sandboxes and the containers mount, so what it says holds for both.
/// </summary>
public sealed class LocalHomeSpaces(IOptions<LocalRuntimeOptions> options) : IHomeSpaces
{
    private readonly string _dataDirectory = options.Value.ResolvedDataDirectory;

    public HomeSpace? Find(string tenantSlug, Guid memberId)
    {
        var home = SessionLayout.HomeDirectory(_dataDirectory, tenantSlug, memberId);
        if (!Directory.Exists(home))
        {
            return null;
        }

        try
        {
            var drive = new DriveInfo(home);
            return new HomeSpace(drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
