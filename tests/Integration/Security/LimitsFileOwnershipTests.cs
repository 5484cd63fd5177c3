using System.Diagnostics;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

public sealed class LimitsFileOwnershipTests(LimitsRuntimeFixture fixture) : IClassFixture<LimitsRuntimeFixture>
{
    // Connects to a unix socket and prints the first 12 bytes: the RFB banner when the caller may connect.
    private const string BannerProbe = """
        #include <stdio.h>
        #include <string.h>
        #include <sys/socket.h>
        #include <sys/un.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            struct sockaddr_un address = { .sun_family = AF_UNIX };
            strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
            int s = socket(AF_UNIX, SOCK_STREAM, 0);
            if (connect(s, (struct sockaddr *)&address, sizeof address) != 0) { perror("connect"); return 1; }
            char banner[12]; size_t got = 0;
            while (got < sizeof banner) { ssize_t n = read(s, banner + got, sizeof banner - got); if (n <= 0) return 2; got += n; }
            fwrite(banner, 1, sizeof banner, stdout);
            return 0;
        }
        """;

    // Tries symlink(target, link) until it succeeds or 30 seconds have passed.
    private const string Planter = """
        #include <time.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            time_t end = time(NULL) + 30;
            while (symlink(argv[1], argv[2]) != 0) { if (time(NULL) > end) return 1; }
            return 0;
        }
        """;

    [Fact]
    public async Task Root_does_not_follow_a_symlink_the_member_plants_as_the_vnc_password_file()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid, useVncAuth: true);
        var target = Path.Combine("/tmp", "ss-limits-target-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(target, "untouched");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var passwordFile = Path.Combine(fixture.RunDirectoryOf(spec.SessionId), "vnc", "passwd");

        // The member, as their own uid on the host, plants the link the moment their vnc/ directory lets them (a tight loop of
        // symlink(2), so the attack wins any window root leaves between handing vnc/ over and writing into it).
        var tools = Directory.CreateTempSubdirectory("ss-limits-planter-");
        File.SetUnixFileMode(tools.FullName, (UnixFileMode)0b111_101_101);
        var planterBinary = await LimitsProbe.CompileAsync(Planter, tools.FullName, "planter");
        var plantInfo = new ProcessStartInfo("/usr/bin/setpriv")
        {
            ArgumentList = { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", planterBinary, target, passwordFile },
        };
        using var planter = Process.Start(plantInfo)!;
        try
        {
            Exception? failure = null;
            try
            {
                await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
            }
            catch (SandboxStartException ex)
            {
                failure = ex;
            }

            Assert.Equal("untouched", await File.ReadAllTextAsync(target));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(target));
            Assert.Null(failure);
        }
        finally
        {
            if (!planter.HasExited)
            {
                planter.Kill();
            }

            await planter.WaitForExitAsync();
            File.Delete(target);
            tools.Delete(recursive: true);
        }
    }

    // The race above finds no window (every start removes the run directory, creates vnc/ root-owned and hands it over only
    // after writing), so it cannot tell a path-following write from a safe one. Here the link is already in the directory,
    // as it would be if an ordering change ever let the member in first: the write itself must refuse it.
    [Fact]
    public async Task Root_writing_the_vnc_password_into_a_directory_where_the_member_planted_a_symlink_refuses_it_and_leaves_the_target_alone()
    {
        var directory = Directory.CreateTempSubdirectory("ss-limits-planted-");
        var target = Path.Combine("/tmp", "ss-limits-target-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(target, "untouched");
        var mode = File.GetUnixFileMode(target);
        try
        {
            File.CreateSymbolicLink(Path.Combine(directory.FullName, "passwd"), target);
            using var handle = LibC.OpenDirectory(directory.FullName);

            var refused = await Assert.ThrowsAnyAsync<IOException>(() =>
                VncPassword.WriteObfuscatedAsync("/usr/bin/vncpasswd", "secret12", handle, "passwd", Specs.NextUid(), CancellationToken.None));

            Assert.Contains("passwd", refused.Message, StringComparison.Ordinal);
            Assert.Equal("untouched", await File.ReadAllTextAsync(target));
            Assert.Equal(mode, File.GetUnixFileMode(target));
            Assert.Equal(0, await OwnerOfAsync(target));
        }
        finally
        {
            directory.Delete(recursive: true);
            File.Delete(target);
        }
    }

    private static async Task<int> OwnerOfAsync(string path) =>
        int.Parse((await ExternalTool.RunAsync("stat", ["-c", "%u", path])).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_user_in_the_gateway_group_reads_the_secret_and_the_banner_without_root_and_any_other_user_cannot()
    {
        var spec = Specs.Session(Specs.NextUid(), useVncAuth: true);
        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var socket = endpoint.Address["unix:".Length..];
        var password = await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None);
        var tools = Directory.CreateTempSubdirectory("ss-limits-probe-");
        try
        {
            File.SetUnixFileMode(tools.FullName, (UnixFileMode)0b111_101_101);
            var probe = await LimitsProbe.CompileAsync(BannerProbe, tools.FullName, "banner");
            const int WebUid = 64124;

            var banner = await LimitsProbe.RunAsAsync(WebUid, LimitsRuntimeFixture.GatewayGid, probe, socket);
            var secret = await LimitsProbe.RunAsAsync(WebUid, LimitsRuntimeFixture.GatewayGid, "/bin/cat", fixture.SecretOf(spec.SessionId));
            var strangerBanner = await LimitsProbe.RunAsAsync(WebUid, LimitsRuntimeFixture.GatewayGid + 1, probe, socket);
            var strangerSecret = await LimitsProbe.RunAsAsync(WebUid, LimitsRuntimeFixture.GatewayGid + 1, "/bin/cat", fixture.SecretOf(spec.SessionId));

            Assert.Equal((0, "RFB 003.008\n"), banner);
            Assert.Equal((0, password), (secret.ExitCode, secret.Output.Trim()));
            Assert.NotEqual(0, strangerBanner.ExitCode);
            Assert.NotEqual(0, strangerSecret.ExitCode);
        }
        finally
        {
            tools.Delete(recursive: true);
        }
    }
}
