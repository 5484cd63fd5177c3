using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>Observed from inside the session: xclip reads the X clipboard that Xvnc fills from ClientCutText.</summary>
public sealed class ClipboardPolicyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>How long a paste may take to show up in the session's clipboard: the allowed case waits this long for it, the
    /// forbidden case watches this long that it never does.</summary>
    private static readonly TimeSpan ClipboardWait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_paste_reaches_the_session_clipboard_when_the_tier_allows_clipboard_in()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        await using var gateway = await GatewayHost.StartAsync();
        var text = $"allowed-{Guid.NewGuid():N}";

        await using var viewer = await PasteAsync(gateway, gateway.AddSession(xvnc.Endpoint, policy: new StreamPolicy(ClipboardIn: true)), text);

        Assert.True(
            await Deadline.WaitUntilAsync(async () => await ReadClipboardAsync(xvnc) == text, ClipboardWait),
            $"clipboard: '{await ReadClipboardAsync(xvnc)}'; {xvnc}");
    }

    [Fact]
    public async Task A_paste_never_reaches_the_session_clipboard_when_the_tier_forbids_clipboard_in()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        await using var gateway = await GatewayHost.StartAsync();
        var text = $"forbidden-{Guid.NewGuid():N}";

        await using var viewer = await PasteAsync(gateway, gateway.AddSession(xvnc.Endpoint, policy: new StreamPolicy(ClipboardIn: false)), text);

        // Watched as long as the allowed case waits for its paste: a paste that arrives late is still a paste that arrived.
        Assert.False(
            await Deadline.WaitUntilAsync(async () => await ReadClipboardAsync(xvnc) == text, ClipboardWait),
            $"the forbidden paste reached the clipboard; {xvnc}");
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
