using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;

namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class RfbHandshakeTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task A_terminal_session_serves_RFB_on_a_unix_socket_with_the_requested_geometry()
    {
        var spec = Specs.Session(Specs.NextUid(), screen: new ScreenSize(1100, 700));
        var progress = new RecordedProgress();

        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, progress, CancellationToken.None);

        Assert.Equal(StreamProtocol.Rfb, endpoint.Protocol);
        Assert.Equal("unix:" + Path.Combine(fixture.RunDirectoryOf(spec.SessionId), "vnc", "vnc.sock"), endpoint.Address);
        Assert.Equal(["Starting display…", "Starting Terminal…", "Ready"], progress.Reports);
        Assert.Equal((1100, 700), await RfbClient.HandshakeAsync(endpoint.Address, password: null));
        Assert.Null(await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
    }

    [Fact]
    public async Task A_VncAuth_session_accepts_its_password_and_refuses_a_wrong_one()
    {
        var spec = Specs.Session(Specs.NextUid(), useVncAuth: true);

        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var password = await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None);

        Assert.NotNull(password);
        Assert.Equal(8, password.Length);
        Assert.Equal((1024, 768), await RfbClient.HandshakeAsync(endpoint.Address, password));
        var wrong = (password[0] == 'a' ? "b" : "a") + password[1..];
        await Assert.ThrowsAsync<RfbRefusedException>(() => RfbClient.HandshakeAsync(endpoint.Address, wrong));
    }

    [Fact]
    public async Task The_VNC_password_survives_hibernation_and_goes_with_termination()
    {
        var spec = Specs.Session(Specs.NextUid(), useVncAuth: true);
        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var password = await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None);
        var secretFile = Path.Combine(fixture.DataDirectory, "secrets", spec.SessionId + ".vncpass");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretFile));

        await fixture.Runtime.HibernateAsync(spec.Address, CancellationToken.None);
        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        Assert.Equal(password, await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
        await RfbClient.HandshakeAsync(endpoint.Address, password);
        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);
        Assert.Null(await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
        Assert.False(File.Exists(secretFile));
    }
}
