using StreamSpace.Domain.Common;
using StreamSpace.Domain.Templates;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>The first global templates; the full LinuxServer.io catalog replaces this list with data files.</summary>
public static class BuiltInTemplates
{
    public static IReadOnlyList<TemplateDefinition> All { get; } =
    [
        new(
            "xterm",
            "Terminal",
            "A plain X terminal with a shell in your home directory. Starts in well under a second.",
            "Development",
            "terminal",
            "local/xterm",
            StreamProtocol.Rfb,
            5900,
            Quantity.ParseBytes("256Mi"),
            250,
            ["clipboard"],
            ["terminal", "shell"],
            "xterm -fa Monospace -fs 12"),
        new(
            "firefox-esr",
            "Firefox ESR",
            "Mozilla's extended-support browser, running on this server with your own profile.",
            "Web Browsers",
            "browser-firefox",
            "local/firefox-esr",
            StreamProtocol.Rfb,
            5900,
            Quantity.ParseBytes("2Gi"),
            1000,
            ["network", "clipboard", "audio"],
            ["browser", "web"],
            "firefox-esr"),
        new(
            "firefox",
            "Firefox",
            "Firefox in a container with its own web desktop client.",
            "Web Browsers",
            "browser-firefox",
            "lscr.io/linuxserver/firefox:latest",
            StreamProtocol.Http,
            3000,
            Quantity.ParseBytes("2Gi"),
            1000,
            ["network", "clipboard", "audio"],
            ["browser", "web"]),
        new(
            "code-server",
            "VS Code (code-server)",
            "Visual Studio Code served to the browser, with your projects kept in your home volume.",
            "Development",
            "code-slash",
            "lscr.io/linuxserver/code-server:latest",
            StreamProtocol.Http,
            8443,
            Quantity.ParseBytes("2Gi"),
            1000,
            ["network"],
            ["ide", "editor"]),
    ];
}
