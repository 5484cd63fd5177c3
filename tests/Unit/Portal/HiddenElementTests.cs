using System.Text.RegularExpressions;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Portal;

/// <summary>
/// An element hidden with the <c>hidden</c> attribute stays hidden: Bootstrap's display utilities are <c>!important</c>
/// (<c>d-flex</c> showed the viewer's "hibernates in 5:00" banner on every fresh session), and our own display rules
/// (<c>.btn</c>, <c>.viewer-overlay</c>) beat the browser's <c>[hidden]</c> unless our stylesheets say otherwise.
/// </summary>
public sealed partial class HiddenElementTests
{
    private static string Web => Path.Combine(Repository.Root, "src", "Web");

    [Fact]
    public void No_element_the_pages_or_their_scripts_hide_carries_a_Bootstrap_display_utility()
    {
        var scriptHidden = Directory.GetFiles(Path.Combine(Web, "wwwroot", "js"), "*.js")
            .SelectMany(file => IdsHiddenBy(File.ReadAllText(file)))
            .ToHashSet(StringComparer.Ordinal);
        var pairs = Pages()
            .SelectMany(page => HiddenWithDisplayUtility(File.ReadAllText(page), scriptHidden)
                .Select(found => $"{Path.GetRelativePath(Repository.Root, page)}:{found.Line}: {found.Tag}"))
            .ToList();

        Assert.Contains("idle-banner", scriptHidden);
        Assert.True(pairs.Count == 0, "hidden together with a d-* class (which wins):\n" + string.Join('\n', pairs));
    }

    [Fact]
    public void The_check_finds_a_pair_across_lines_in_razor_markup_and_one_a_script_hides()
    {
        const string markup = """
            <div id="a" class="alert d-flex gap-2 @(x ? "d-none" : "")"
                 role="alert" hidden>
            <span class="visually-hidden d-inline" aria-hidden="true">not hidden</span>
            <div id="b" class="d-md-inline-flex">hidden by the script</div>
            <div id="c" class="alert" hidden>no display utility</div>
            """;
        const string script = """
            const banner = document.getElementById('b');
            banner.hidden = true;
            for (const id of ['x', 'y']) {
              document.getElementById(id).hidden = !running;
            }
            document.getElementById('z').hidden = false;
            """;

        var scriptHidden = IdsHiddenBy(script).ToHashSet(StringComparer.Ordinal);
        var found = HiddenWithDisplayUtility(markup, scriptHidden).ToList();

        Assert.Equal("b x y z", string.Join(' ', scriptHidden.Order(StringComparer.Ordinal)));
        Assert.Equal("1 4", string.Join(' ', found.Select(f => f.Line)));
    }

    [Fact]
    public void Every_stylesheet_of_ours_makes_the_hidden_attribute_win_over_display_rules()
    {
        var stylesheets = Directory.GetFiles(Path.Combine(Web, "wwwroot", "css"), "*.css");

        Assert.NotEmpty(stylesheets);
        Assert.Empty(stylesheets.Where(css => !HiddenWins().IsMatch(File.ReadAllText(css))).Select(Path.GetFileName));
    }

    private static string[] Pages() =>
        Directory.GetFiles(Path.Combine(Web, "Pages"), "*.cshtml", SearchOption.AllDirectories);

    /// <summary>Start tags that carry the <c>hidden</c> attribute, or an id a script hides, together with a <c>d-*</c> class.</summary>
    private static IEnumerable<(int Line, string Tag)> HiddenWithDisplayUtility(string markup, HashSet<string> scriptHidden)
    {
        foreach (Match tag in StartTag().Matches(markup))
        {
            var unquoted = Quoted().Replace(tag.Value, " ");
            var id = Id().Match(tag.Value);
            var hidden = HiddenAttribute().IsMatch(unquoted) || (id.Success && scriptHidden.Contains(id.Groups[1].Value));
            if (hidden && DisplayUtility().IsMatch(tag.Value))
            {
                yield return (markup.AsSpan(0, tag.Index).Count('\n') + 1, tag.Value.ReplaceLineEndings(" "));
            }
        }
    }

    /// <summary>Ids whose <c>hidden</c> property a script sets: directly, through a <c>const</c>, or in a loop over a list of ids.</summary>
    private static IEnumerable<string> IdsHiddenBy(string script)
    {
        var variables = ElementVariable().Matches(script).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        foreach (Match set in HiddenProperty().Matches(script))
        {
            if (variables.TryGetValue(set.Groups[1].Value, out var id))
            {
                yield return id;
            }
        }

        foreach (Match direct in DirectHiddenProperty().Matches(script))
        {
            yield return direct.Groups[1].Value;
        }

        foreach (Match loop in LoopHiddenProperty().Matches(script))
        {
            foreach (Match listed in QuotedId().Matches(loop.Groups[2].Value))
            {
                yield return listed.Groups[1].Value;
            }
        }
    }

    [GeneratedRegex("""<[a-zA-Z][\w-]*(?:[^<>"']|"[^"]*"|'[^']*')*>""")]
    private static partial Regex StartTag();

    [GeneratedRegex("""("[^"]*"|'[^']*')""")]
    private static partial Regex Quoted();

    [GeneratedRegex("""(?<![\w-])hidden(?![\w-])""")]
    private static partial Regex HiddenAttribute();

    [GeneratedRegex(@"\sid=""([\w-]+)""")]
    private static partial Regex Id();

    /// <summary>Bootstrap 5's display utilities, with their breakpoint and print forms (<c>d-md-inline</c>, <c>d-print-none</c>).</summary>
    [GeneratedRegex("""(?<![\w-])d-(?:(?:sm|md|lg|xl|xxl|print)-)?(?:none|inline|inline-block|block|grid|inline-grid|table|table-row|table-cell|flex|inline-flex)(?![\w-])""")]
    private static partial Regex DisplayUtility();

    [GeneratedRegex("""(?:const|let)\s+(\w+)\s*=\s*document\.getElementById\('([\w-]+)'\)""")]
    private static partial Regex ElementVariable();

    [GeneratedRegex("""(?<![\w.])(\w+)\.hidden\s*=(?!=)""")]
    private static partial Regex HiddenProperty();

    [GeneratedRegex("""getElementById\('([\w-]+)'\)\.hidden\s*=(?!=)""")]
    private static partial Regex DirectHiddenProperty();

    [GeneratedRegex("""for\s*\(\s*const\s+(\w+)\s+of\s+\[([^\]]*)\]\s*\)\s*\{[^}]*getElementById\(\1\)\.hidden\s*=""")]
    private static partial Regex LoopHiddenProperty();

    [GeneratedRegex("""'([\w-]+)'""")]
    private static partial Regex QuotedId();

    [GeneratedRegex("""\[hidden\]\s*\{\s*display:\s*none\s*!important;?\s*\}""")]
    private static partial Regex HiddenWins();
}
