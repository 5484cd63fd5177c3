using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>Observed from inside the session: xclip reads the X clipboard that Xvnc fills from ClientCutText.</summary>
public sealed class ClipboardPolicyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_paste_reaches_the_session_clipboard_when_the_tier_allows_clipboard_in()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        await using var gateway = await GatewayHost.StartAsync();
        var text = $"allowed-{Guid.NewGuid():N}";

        await using var viewer = await PasteAsync(gateway, gateway.AddSession(xvnc.Endpoint, policy: new StreamPolicy(ClipboardIn: true)), text);

        Assert.True(
            await Deadline.WaitUntilAsync(async () => await ReadClipboardAsync(xvnc) == text, TimeSpan.FromSeconds(10)),
            $"clipboard: '{await ReadClipboardAsync(xvnc)}'; {xvnc}");
    }

    [Fact]
    public async Task A_paste_never_reaches_the_session_clipboard_when_the_tier_forbids_clipboard_in()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        await using var gateway = await GatewayHost.StartAsync();
        var text = $"forbidden-{Guid.NewGuid():N}";

        // PasteAsync waits for a framebuffer update requested after the paste, so Xvnc has handled the paste if it got it.
        await using var viewer = await PasteAsync(gateway, gateway.AddSession(xvnc.Endpoint, policy: new StreamPolicy(ClipboardIn: false)), text);

        Assert.NotEqual(text, await ReadClipboardAsync(xvnc));
    }

    /// <summary>Pastes through the gateway; the viewer stays connected because Xvnc serves the selection from it.</summary>
    private static async Task<TestViewer> PasteAsync(GatewayHost gateway, Guid session, string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(session), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);
        await viewer.SetEncodingsAsync(timeout.Token, 0);

        await viewer.SendAsync(RfbMessages.ClientCutText(text), timeout.Token);
        await viewer.RequestUpdateAsync(false, 0, 0, 1, 1, timeout.Token);
        await viewer.ReadFramebufferUpdateAsync(timeout.Token);
        return viewer;
    }

    private static Task<string?> ReadClipboardAsync(XvncDisplay xvnc) =>
        xvnc.RunClientAsync("/usr/bin/xclip", "-o", "-selection", "clipboard");
}
