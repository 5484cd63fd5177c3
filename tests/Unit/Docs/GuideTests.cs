using System.Text.RegularExpressions;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Docs;

/// <summary>The getting-started and troubleshooting guides stay true to the code: quoted messages exist, pictures and links resolve.</summary>
public sealed partial class GuideTests
{
    private static readonly string[] SourcePatterns = ["*.cs", "*.js"];

    private static string Docs => Path.Combine(Repository.Root, "docs");

    [Fact]
    public void Every_message_the_troubleshooting_guide_quotes_is_one_the_code_prints()
    {
        var code = CodeText();
        var quoted = QuotedMessage().Matches(File.ReadAllText(Path.Combine(Docs, "troubleshooting.md"))).Select(m => m.Groups[1].Value).ToList();

        Assert.True(quoted.Count >= 20, $"Only {quoted.Count} quoted messages found.");
        Assert.Empty(quoted.SelectMany(message => Fragments(message).Where(f => !code.Contains(f, StringComparison.Ordinal)).Select(f => $"\"{f}\" (from: {message})")));
    }

    [Theory]
    [InlineData("getting-started.md")]
    [InlineData("troubleshooting.md")]
    [InlineData("applications.md")]
    public void Every_picture_and_local_link_of_a_guide_exists_and_the_readme_links_to_it(string guide)
    {
        var text = File.ReadAllText(Path.Combine(Docs, guide));

        Assert.Contains($"(docs/{guide})", File.ReadAllText(Path.Combine(Repository.Root, "README.md")), StringComparison.Ordinal);
        var missing = LocalLink().Matches(text).Select(m => m.Groups[1].Value).Where(target => !File.Exists(Path.Combine(Docs, target))).ToList();
        Assert.True(missing.Count == 0, "Missing: " + string.Join(", ", missing));
    }

    [Fact]
    public void Getting_started_shows_sign_in_catalog_viewer_and_hibernation_with_pictures_the_e2e_journeys_take()
    {
        var text = File.ReadAllText(Path.Combine(Docs, "getting-started.md"));
        var journeys = string.Concat(Directory.GetFiles(Path.Combine(Repository.Root, "tests", "E2E"), "*.cs").Select(File.ReadAllText));

        foreach (var picture in new[] { "login.png", "portal.png", "viewer.png", "hibernated.png" })
        {
            Assert.Contains($"(images/{picture})", text, StringComparison.Ordinal);
            Assert.Contains($"SaveScreenshotAsync(portal, page, \"{picture}\")", journeys, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_readme_says_where_its_two_commands_are_that_a_minimal_Debian_lacks_make_and_that_they_run_as_root()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var start = readme.IndexOf("## The two commands", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"The two commands\" section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = Whitespace().Replace(readme[start..(end < 0 ? readme.Length : end)], " ");

        Assert.Contains("apt-get install make", section, StringComparison.Ordinal);
        Assert.Contains("sudo make run", section, StringComparison.Ordinal);
        Assert.Contains(".NET 10 SDK", section, StringComparison.Ordinal);
    }

    /// <summary>The literal parts of a quoted message: what is between its <c>&lt;placeholders&gt;</c> and ellipses, long enough to mean something.</summary>
    private static IEnumerable<string> Fragments(string message) =>
        Placeholder().Split(message).Select(f => f.Trim()).Where(f => f.Length >= 12);

    /// <summary>Source that prints messages: C#, JavaScript and the shell scripts (with <c>$1</c> as <c>make run</c> passes it).</summary>
    private static string CodeText() =>
        string.Concat(SourcePatterns
                .SelectMany(pattern => Directory.GetFiles(Path.Combine(Repository.Root, "src"), pattern, SearchOption.AllDirectories))
                .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !file.Contains("node_modules", StringComparison.Ordinal)
                    && !file.Contains($"wwwroot{Path.DirectorySeparatorChar}lib", StringComparison.Ordinal))
                .Select(File.ReadAllText))
        + string.Concat(Directory.GetFiles(Path.Combine(Repository.Root, "scripts"), "*.sh").Select(f => File.ReadAllText(f).Replace("$1", "run", StringComparison.Ordinal)));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\*\*`([^`]+)`\*\*")]
    private static partial Regex QuotedMessage();

    [GeneratedRegex(@"<[^>]*>|…")]
    private static partial Regex Placeholder();

    /// <summary>Markdown links and pictures to a file beside the guide (not http, not an anchor of the same page).</summary>
    [GeneratedRegex(@"\]\((?!https?:|#)([^)#\s]+)(?:#[^)]*)?\)")]
    private static partial Regex LocalLink();
}
