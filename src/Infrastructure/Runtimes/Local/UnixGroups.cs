using System.Globalization;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>Group names to gids, from <c>/etc/group</c>; a number is taken as a gid as it is.</summary>
internal static class UnixGroups
{
    public static int? Resolve(string? group, string groupFile = "/etc/group")
    {
        if (string.IsNullOrWhiteSpace(group))
        {
            return null;
        }

        if (int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return gid;
        }

        // "name:password:gid:members"
        foreach (var line in File.ReadLines(groupFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                return gid;
            }
        }

        throw new SandboxStartException($"Runtime:Local:GatewayGroup names the group '{group}', which is not in {groupFile}; create it (groupadd --system {group}) or give its gid.");
    }
}
