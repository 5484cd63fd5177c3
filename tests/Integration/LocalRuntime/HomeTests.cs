namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class HomeTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task Files_written_in_the_home_survive_hibernation_and_a_new_session_of_the_member_sees_them()
    {
        var first = Specs.Session(Specs.NextUid(), "echo kept > $HOME/notes.txt; exec sleep infinity");
        await fixture.Runtime.EnsureStartedAsync(first, new RecordedProgress(), CancellationToken.None);
        var notes = Path.Combine(fixture.HomeOf(first), "notes.txt");
        await Eventually.TrueAsync(() => File.Exists(notes), "the app has written notes.txt");

        await fixture.Runtime.HibernateAsync(first.Address, CancellationToken.None);

        Assert.Equal("kept\n", await File.ReadAllTextAsync(notes));
        var second = Specs.NextSessionOf(first, "cp $HOME/notes.txt $HOME/seen.tmp && mv $HOME/seen.tmp $HOME/seen.txt; exec sleep infinity");
        await fixture.Runtime.EnsureStartedAsync(second, new RecordedProgress(), CancellationToken.None);
        var seen = Path.Combine(fixture.HomeOf(second), "seen.txt");
        await Eventually.TrueAsync(() => File.Exists(seen), "the second session has read notes.txt");
        Assert.Equal("kept\n", await File.ReadAllTextAsync(seen));
    }

    [Fact]
    public async Task Termination_keeps_the_home()
    {
        var spec = Specs.Session(Specs.NextUid(), "echo kept > $HOME/notes.txt; exec sleep infinity");
        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var notes = Path.Combine(fixture.HomeOf(spec), "notes.txt");
        await Eventually.TrueAsync(() => File.Exists(notes), "the app has written notes.txt");

        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);

        Assert.Equal("kept\n", await File.ReadAllTextAsync(notes));
    }
}
