using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// The command that starts one session: drop to the member uid, build the bubblewrap sandbox, and inside it run a small bash
/// launcher that starts Xvnc, the window manager and the app, and exits (saying why) as soon as Xvnc or the app exits.
/// </summary>
internal static partial class SandboxCommandLine
{
    public const string Home = "/home/app";
    public const string LauncherMarker = "streamspace:";
    private const string RuntimeDirectory = "/run/user";
    private const string FirefoxProfile = Home + "/.mozilla/streamspace";

    // Written by the launcher as the session uid, so the runtime never writes into a directory the member controls.
    private static readonly string[] FirefoxPreferences =
    [
        """user_pref("browser.aboutwelcome.enabled", false);""",
        """user_pref("datareporting.policy.firstRunURL", "");""",
        """user_pref("browser.startup.homepage_override.mstone", "ignore");""",
        """user_pref("browser.shell.checkDefaultBrowser", false);""",
        """user_pref("app.update.enabled", false);""",
        """user_pref("app.update.auto", false);""",
        """user_pref("datareporting.healthreport.uploadEnabled", false);""",
        """user_pref("datareporting.policy.dataSubmissionEnabled", false);""",
        """user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);""",
        """user_pref("browser.startup.page", 0);""",
        """user_pref("browser.startup.homepage", "about:blank");""",
        """user_pref("browser.newtabpage.enabled", false);""",
        """user_pref("browser.sessionstore.resume_from_crash", false);""",
        """user_pref("browser.tabs.warnOnClose", false);""",
    ];

    private static readonly HashSet<string> ReservedVariables = new(StringComparer.Ordinal)
    {
        "PATH", "LANG", "HOME", "USER", "LOGNAME", "SHELL", "DISPLAY",
        "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
    };

    /// <summary>
    /// Arguments for <c>/bin/sh</c>, which points the output at the run directory's logs and execs the rest: the launcher's and the
    /// app's output go to the sandbox log, Xvnc's and the window manager's to the display log (file descriptor 3). bubblewrap
    /// reports the sandbox's pid and namespaces on file descriptor 4, which it closes before anything inside runs.
    /// </summary>
    public static List<string> Build(SessionSpec spec, SessionLayout layout, string homeDirectory, ScreenSize screen, LocalRuntimeOptions options)
    {
        var arguments = new List<string>
        {
            "-c",
            """log=$1; display=$2; info=$3; shift 3; exec "$@" </dev/null >>"$log" 2>&1 3>>"$display" 4>"$info" """,
            "streamspace-sandbox",
            layout.LogFile,
            layout.DisplayLogFile,
            layout.InfoFile,
            options.SetsidPath,
            options.SetprivPath,
            $"--reuid={spec.MemberUid}",
            $"--regid={spec.MemberUid}",
            "--clear-groups",
            "/usr/bin/env",
            "-i",
            "PATH=/usr/bin:/bin",
            "LANG=C.UTF-8",
            $"HOME={Home}",
            "USER=app",
            $"XDG_CONFIG_HOME={Home}/.config",
            $"XDG_CACHE_HOME={Home}/.cache",
            $"XDG_DATA_HOME={Home}/.local/share",
            $"XDG_STATE_HOME={Home}/.local/state",
            $"XDG_RUNTIME_DIR={RuntimeDirectory}",
        };
        arguments.AddRange(
        [
            options.BwrapPath,
            "--info-fd", "4",
            "--unshare-all",
        ]);
        arguments.AddRange(
        [
            "--new-session",
            // The launcher is the namespace's init: bubblewrap's own init would be orphaned unreaped when the sandbox ends.
            "--as-pid-1",
            "--hostname", "streamspace",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/sbin", "/sbin",
            "--ro-bind", "/etc", "/etc",
            "--ro-bind-try", "/var/cache/fontconfig", "/var/cache/fontconfig",
            "--proc", "/proc",
            "--dev", "/dev",
            "--tmpfs", "/tmp",
            "--tmpfs", "/run",
            "--perms", "0700", "--dir", RuntimeDirectory,
            "--bind", homeDirectory, Home,
            "--bind", layout.SandboxDirectory, SessionLayout.SandboxRunPath,
        ]);
        if (spec.HasCapability("network"))
        {
            // The namespace stays the sandbox's own (see SandboxNetwork); only its resolver differs from the host's.
            arguments.AddRange(["--ro-bind", layout.ResolvConfFile, "/etc/resolv.conf"]);
        }

        // Template variables exist only inside the sandbox: bubblewrap itself runs with the fixed list above (LD_PRELOAD and the like would run outside).
        foreach (var (name, value) in spec.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (VariableName().IsMatch(name) && !ReservedVariables.Contains(name) && !value.Contains('\0', StringComparison.Ordinal))
            {
                arguments.AddRange(["--setenv", name, value]);
            }
        }

        arguments.AddRange(
        [
            "--chdir", Home,
            "--",
            options.BashPath,
            "-c",
            LauncherScript(spec, screen, options),
            "streamspace-launcher",
            AppCommand(spec),
        ]);
        return arguments;
    }

    /// <summary>What the progress line calls the app while it starts.</summary>
    public static string AppName(SessionSpec spec) => spec.LocalCommand switch
    {
        "firefox-esr" => "Firefox",
        "xterm" => "Terminal",
        _ => spec.TemplateDisplayName,
    };

    private static string AppCommand(SessionSpec spec) => spec.LocalCommand switch
    {
        "firefox-esr" => $"exec firefox-esr --no-remote --profile {FirefoxProfile}",
        null or "" => throw new InvalidOperationException($"Template {spec.TemplateName} has no local command to run."),
        var command => command,
    };

    private static string LauncherScript(SessionSpec spec, ScreenSize screen, LocalRuntimeOptions options)
    {
        var socket = $"{SessionLayout.SandboxRunPath}/{SessionLayout.SocketName}";
        var xvnc = new List<string>
        {
            options.XvncPath, ":1",
            "-rfbport", "-1",
            "-rfbunixpath", socket,
            // 0660 (decimal 432) lets the gateway group connect; vnc/ is setgid to that group when one is set.
            "-rfbunixmode", string.IsNullOrEmpty(options.GatewayGroup) ? "384" : "432",
            "-localhost",
            "-nolisten", "tcp",
            // The abstract X socket would be reachable from anything sharing the network namespace.
            "-nolisten", "local",
            "-geometry", string.Create(CultureInfo.InvariantCulture, $"{screen.Width}x{screen.Height}"),
            "-depth", "24",
            "-desktop", spec.TemplateDisplayName,
            $"-AcceptCutText={(spec.ClipboardIn ? 1 : 0)}",
            $"-SendCutText={(spec.ClipboardOut ? 1 : 0)}",
            "-SecurityTypes", spec.UseVncAuth ? "VncAuth" : "None",
        };
        if (spec.UseVncAuth)
        {
            xvnc.AddRange(["-PasswordFile", $"{SessionLayout.SandboxRunPath}/{SessionLayout.PasswordName}"]);
        }

        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $$"""
            set -u
            say() { printf '{{LauncherMarker}} %s\n' "$*" >&2; }
            app_name={{Quote(AppName(spec))}}
            wm= app= stopping=
            trap 'stopping=1; kill -TERM $app $wm $xvnc 2>/dev/null' TERM INT HUP
            {{string.Join(' ', xvnc.Select(Quote))}} 2>&3 &
            xvnc=$!
            until [ -S {{socket}} ] && [ -S /tmp/.X11-unix/X1 ]; do
              if ! kill -0 "$xvnc" 2>/dev/null; then wait "$xvnc"; say "Xvnc exited with code $?"; exit 1; fi
              sleep 0.05
            done
            export DISPLAY=:1

            """);
        if (spec.LocalCommand == "firefox-esr")
        {
            script.Append(CultureInfo.InvariantCulture, $"""
                mkdir -p {FirefoxProfile}
                cat > {FirefoxProfile}/user.js <<'PREFS'
                {string.Join('\n', FirefoxPreferences)}
                PREFS

                """);
        }

        if (spec.HasCapability("network"))
        {
            // The runtime attaches slirp4netns from outside; its default route on tap0 means the fence and the link are both up.
            script.Append(CultureInfo.InvariantCulture, $$"""
                waited=0
                until grep -q '^{{SandboxNetwork.Interface}}[[:space:]]00000000' /proc/net/route; do
                  waited=$((waited + 1))
                  if [ "$waited" -gt 400 ]; then say "The session's network did not come up within 20 s"; exit 1; fi
                  sleep 0.05
                done

                """);
        }

        script.Append(CultureInfo.InvariantCulture, $$"""
            {{Quote(options.WindowManagerPath)}} -use_titlebar no 2>&3 &
            wm=$!
            # Out of memory, the kernel kills the app first, not the display (Xvnc's mapped libraries make it look the largest).
            ( echo 500 >/proc/self/oom_score_adj; exec /bin/sh -c "$1" ) 3>&- &
            app=$!
            ended=
            wait -n -p ended "$xvnc" "$app"
            code=$?
            if [ -z "$stopping" ] && [ "$ended" = "$xvnc" ]; then say "Xvnc exited with code $code"; fi
            if [ -z "$stopping" ] && [ "$ended" = "$app" ]; then say "$app_name exited with code $code"; fi
            kill -TERM $app $wm $xvnc 2>/dev/null
            while [ -n "$(jobs -pr)" ]; do wait; done
            exit "$code"

            """);
        return script.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex VariableName();
}
