using System.Text.Json;
using System.Text.RegularExpressions;
using StreamSpace.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace StreamSpace.Tests.Integration.Observability;

/// <summary>
/// The Grafana dashboards and Prometheus rules only use what the code exports (checked against a real scrape of Web and
/// Workers), and promtool accepts the rules and passes their unit tests.
/// </summary>
public sealed partial class AlertsAndDashboardsTests(ObservabilityPortal portal) : IClassFixture<ObservabilityPortal>
{
    private const string Promtool = "/usr/bin/promtool";

    /// <summary>Series Prometheus makes itself (<c>up</c>) or the blackbox exporter probing the ingress exports; not ours to scrape.</summary>
    private static readonly HashSet<string> External = ["up", "probe_success", "probe_ssl_earliest_cert_expiry"];

    private static readonly HashSet<string> PromQlWords =
    [
        "sum", "max", "min", "avg", "count", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
        "rate", "increase", "irate", "histogram_quantile", "topk", "bottomk", "absent", "time", "le", "bool", "offset",
    ];

    private static string RulesFile => Path.Combine(Repository.Root, "ops", "prometheus", "streamspace-rules.yml");

    public static TheoryData<string> Dashboards() =>
        [.. Directory.GetFiles(Path.Combine(Repository.Root, "ops", "grafana"), "*.json").Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Every_expression_of_a_dashboard_uses_only_exported_metrics(string dashboard)
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "ops", "grafana", dashboard)));
        var expressions = json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(expressions);
        Assert.All(expressions, expression => Assert.NotEmpty(MetricsIn(expression)));

        await AssertExportedAsync(expressions);
    }

    [Fact]
    public async Task The_sign_ins_panel_counts_password_and_sso_sign_ins_each_by_method()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "ops", "grafana", "user-activity.json")));
        var expressions = json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .Where(expression => MetricsIn(expression).Contains("streamspace_logins_total"))
            .ToList();

        var expression = Assert.Single(expressions);
        Assert.All(Matchers().Matches(expression), m => Assert.DoesNotContain("method", m.Value, StringComparison.Ordinal));
        Assert.Matches(@"\bby\s*\([^)]*\bmethod\b", expression);
    }

    [Fact]
    public async Task Every_alert_uses_only_exported_metrics_and_the_readme_s_alerts_are_there()
    {
        var rules = RuleExpressions(await File.ReadAllTextAsync(RulesFile));

        await AssertExportedAsync(rules.Values);
        Assert.True(rules.Count >= 11, $"{rules.Count} alerts");
        foreach (var alert in new[]
                 {
                     "StreamSpaceHighMemoryUsage", "StreamSpaceProvisioningFailures", "StreamSpaceWorkersDown", "StreamSpaceWebDown",
                     "StreamSpaceHighApiErrorRate", "StreamSpaceResumeTooSlow", "StreamSpaceJobsFailing", "StreamSpaceQuotaRefusalsSpiking",
                     "StreamSpaceDatabaseUnreachable", "StreamSpaceCertificateExpiringSoon", "StreamSpaceIngressProbeFailing",
                     "StreamSpaceStuckTransitionalSessions",
                 })
        {
            Assert.Contains(alert, rules.Keys);
        }
    }

    [Fact]
    public async Task A_metric_the_code_does_not_export_is_caught()
    {
        var found = MetricsIn("""histogram_quantile(0.95, sum by (le, tenant) (rate(streamspace_no_such_seconds_bucket{tenant=~"$tenant"}[$__rate_interval]))) / on (tenant) group_left max(up)""").ToList();

        Assert.Equal(["streamspace_no_such_seconds_bucket", "up"], found);
        Assert.False((await portal.ScrapeWebAsync()).Exports("streamspace_no_such_seconds_bucket"));
    }

    [Fact]
    public async Task Every_alert_has_a_section_in_the_operations_guide()
    {
        var rules = RuleExpressions(await File.ReadAllTextAsync(RulesFile));
        var guide = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "operations.md"));

        Assert.All(rules.Keys, alert => Assert.Contains($"### {alert}", guide, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Promtool_accepts_the_rules_file()
    {
        var (exitCode, output) = await RunPromtoolAsync("check", "rules", RulesFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_of_every_alert_pass()
    {
        var tests = Path.Combine(Repository.Root, "ops", "prometheus", "streamspace-rules.test.yml");
        var (exitCode, output) = await RunPromtoolAsync("test", "rules", tests);

        Assert.True(exitCode == 0, output);
        var tested = AlertNameLine().Matches(await File.ReadAllTextAsync(tests)).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(RuleExpressions(await File.ReadAllTextAsync(RulesFile)).Keys.Order(), tested.Order());
    }

    private async Task AssertExportedAsync(IEnumerable<string> expressions)
    {
        var web = await portal.ScrapeWebAsync();
        var workers = await portal.ScrapeWorkersAsync();
        foreach (var expression in expressions)
        {
            foreach (var metric in MetricsIn(expression))
            {
                Assert.True(
                    External.Contains(metric) || web.Exports(metric) || workers.Exports(metric),
                    $"{metric} (in {expression}) is exported by neither Web nor Workers.");
            }
        }
    }

    /// <summary>The metric names of an expression: identifiers left once strings, label matchers and groupings are gone, minus PromQL's words.</summary>
    private static IEnumerable<string> MetricsIn(string expression)
    {
        var withoutStrings = QuotedString().Replace(expression, "\"\"");
        var withoutMatchers = Matchers().Replace(withoutStrings, string.Empty);
        var withoutGroupings = Grouping().Replace(withoutMatchers, string.Empty);
        return Identifier().Matches(withoutGroupings)
            .Select(m => m.Value)
            .Where(word => !PromQlWords.Contains(word) && !word.StartsWith('$') && !double.TryParse(word, out _))
            .Distinct();
    }

    private static Dictionary<string, string> RuleExpressions(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return ((YamlSequenceNode)root["groups"])
            .SelectMany(group => (YamlSequenceNode)((YamlMappingNode)group)["rules"])
            .Cast<YamlMappingNode>()
            .ToDictionary(rule => ((YamlScalarNode)rule["alert"]).Value!, rule => ((YamlScalarNode)rule["expr"]).Value!);
    }

    private static async Task<(int ExitCode, string Output)> RunPromtoolAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Promtool), "promtool is missing: apt-get install prometheus (make test installs it).");
        var (exitCode, output, error) = await ExternalTool.RunAsync(Promtool, arguments);
        return (exitCode, output + error);
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex QuotedString();

    /// <summary><c>by (le, tenant)</c>, <c>without (…)</c>, <c>on (…)</c>: label lists, not metrics.</summary>
    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    /// <summary>Label matchers: <c>{job="…", code=~"5.."}</c>.</summary>
    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    /// <summary>A whole identifier not followed by <c>(</c> (a function), not a <c>$variable</c> and not inside a duration.</summary>
    [GeneratedRegex(@"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w(]|\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"alertname:\s*(\w+)")]
    private static partial Regex AlertNameLine();
}
