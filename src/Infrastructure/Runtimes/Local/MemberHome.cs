namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// The member's home on this machine (<c>&lt;data&gt;/homes/&lt;tenant&gt;/&lt;member&gt;</c>), shared by the sandbox and the
/// container runtime so a member's files are the same whichever runs the app; and the root-only folder of VNC passwords.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class MemberHome
{
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the home (mode 0700, owned by <paramref name="uid"/>) and its parents; returns its path.</summary>
    public static string Prepare(string dataDirectory, string tenantSlug, Guid memberId, int uid)
    {
        var home = SessionLayout.HomeDirectory(dataDirectory, tenantSlug, memberId);
        var tenantHomes = Path.GetDirectoryName(home)!;
        CreateDirectory(dataDirectory, null);
        CreateDirectory(Path.GetDirectoryName(tenantHomes)!, Traversable);
        CreateDirectory(tenantHomes, Traversable);
        CreateDirectory(home, Private);
        LibC.ChangeOwner(home, uid);
        return home;
    }

    /// <summary>The secrets folder: root's, readable by the gateway group when one is set (a Web process that is not root).</summary>
    public static void PrepareSecrets(string dataDirectory, int? gatewayGid)
    {
        var secrets = SessionLayout.SecretsRoot(dataDirectory);
        CreateDirectory(secrets, Private);
        if (gatewayGid is { } gid)
        {
            LibC.ChangeOwner(secrets, 0, gid);
            File.SetUnixFileMode(secrets, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }

    public static void CreateDirectory(string path, UnixFileMode? mode)
    {
        if (mode is { } unixMode)
        {
            Directory.CreateDirectory(path, unixMode);
            File.SetUnixFileMode(path, unixMode);
        }
        else
        {
            Directory.CreateDirectory(path);
        }
    }

    public static UnixFileMode TraversableMode => Traversable;

    public static UnixFileMode PrivateMode => Private;
}
