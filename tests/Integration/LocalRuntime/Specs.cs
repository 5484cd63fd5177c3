using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;

namespace StreamSpace.Tests.Integration.LocalRuntime;

internal static class Specs
{
    private static int _lastUid = 250000;

    /// <summary>A uid no other test in this run uses, so "processes of this uid" means "processes of this test's sessions".</summary>
    public static int NextUid() => Interlocked.Increment(ref _lastUid);

    public static SessionSpec Session(
        int uid,
        string command = "xterm",
        Guid? memberId = null,
        bool useVncAuth = false,
        string[]? capabilities = null,
        ScreenSize? screen = null,
        string displayName = "Terminal") =>
        new(
            Guid.NewGuid(),
            Guid.NewGuid(),
            "acme",
            memberId ?? Guid.NewGuid(),
            uid,
            command == "firefox-esr" ? "firefox-esr" : "xterm",
            displayName,
            "local/" + command,
            command,
            StreamProtocol.Rfb,
            5900,
            256L * 1024 * 1024,
            250,
            capabilities ?? ["clipboard"],
            new Dictionary<string, string>(),
            screen ?? new ScreenSize(1024, 768),
            ClipboardIn: true,
            ClipboardOut: false,
            useVncAuth);

    /// <summary>The same session again, for the same member, as a new session id (a relaunch after hibernation).</summary>
    public static SessionSpec NextSessionOf(SessionSpec spec, string command) =>
        spec with { SessionId = Guid.NewGuid(), LocalCommand = command };
}
