using System.Net.WebSockets;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Tests.Integration.Streaming;

public sealed class UpstreamSecurityTests
{
    private const string Password = "s3cr3tPw";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_viewer_streams_a_session_that_uses_security_None()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        await using var gateway = await GatewayHost.StartAsync();
        var session = gateway.AddSession(xvnc.Endpoint);

        Assert.True(await ReceivesAFramebufferUpdateAsync(gateway, session), xvnc.ToString());
    }

    [Fact]
    public async Task A_viewer_streams_a_session_that_uses_VncAuth_and_the_password_appears_nowhere()
    {
        await using var xvnc = await XvncDisplay.StartAsync(Password);
        await using var gateway = await GatewayHost.StartAsync();
        var session = gateway.AddSession(xvnc.Endpoint, Password);

        Assert.True(await ReceivesAFramebufferUpdateAsync(gateway, session), xvnc.ToString());
        Assert.True(await Deadline.WaitUntilAsync(() => gateway.Log.Lines.Any(l => l.Contains("closed the stream", StringComparison.Ordinal)), Patience));
        Assert.DoesNotContain(gateway.Log.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_VncAuth_password_fails_with_the_server_s_reason()
    {
        await using var xvnc = await XvncDisplay.StartAsync(Password);
        using var timeout = new CancellationTokenSource(Patience);

        var refused = await Assert.ThrowsAsync<RfbProtocolException>(() => RfbUpstream.ConnectAsync(xvnc.Endpoint, "wrongpwd", timeout.Token));

        Assert.StartsWith("The session rejected the gateway: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("auth", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_viewer_of_a_session_with_the_wrong_password_gets_an_error_close_and_no_RFB_banner()
    {
        await using var xvnc = await XvncDisplay.StartAsync(Password);
        await using var gateway = await GatewayHost.StartAsync();
        var session = gateway.AddSession(xvnc.Endpoint, "wrongpwd");
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(session), timeout.Token);

        Assert.True(await viewer.WaitForCloseAsync(Patience));

        Assert.Equal(WebSocketCloseStatus.InternalServerError, viewer.CloseStatus);
        Assert.Contains(gateway.Log.Lines, line => line.Contains($"SessionId={session}", StringComparison.Ordinal)
            && line.Contains("did not accept the gateway", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Log.Lines, line => line.Contains("wrongpwd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_that_is_not_running_fails_the_stream_at_once()
    {
        await using var gateway = await GatewayHost.StartAsync();
        var session = gateway.AddSession(new SessionEndpoint(StreamProtocol.Rfb, $"unix:/tmp/streamspace-gw-missing-{Guid.NewGuid():N}/vnc.sock"));
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(session), timeout.Token);

        Assert.True(await viewer.WaitForCloseAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(WebSocketCloseStatus.InternalServerError, viewer.CloseStatus);
    }

    private static async Task<bool> ReceivesAFramebufferUpdateAsync(GatewayHost gateway, Guid session)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(session), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);
        Assert.Equal((800, 600), (viewer.Width, viewer.Height));

        await viewer.SetEncodingsAsync(timeout.Token, 0);
        await viewer.RequestUpdateAsync(false, 0, 0, viewer.Width, viewer.Height, timeout.Token);
        var rectangles = await viewer.ReadFramebufferUpdateAsync(timeout.Token);

        await viewer.CloseOutputAsync();
        return rectangles > 0 && await viewer.WaitForCloseAsync(Patience);
    }
}
