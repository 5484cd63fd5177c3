using System.Text.RegularExpressions;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Architecture;

/// <summary>
/// Tenant isolation rests on the query filter: the files that step outside it (ignore the tenant filter, or run SQL the
/// filter never sees) are a short list, each with its reason. A new one fails here until it is added, with a reason.
/// </summary>
public sealed partial class CrossTenantQueryTests
{
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["src/Infrastructure/Features/Sessions/AllTenantsSessions.cs"] = "the sweeps' queries: idle, quota, reconcile and shutdown look at every tenant's sessions, then work inside each tenant",
        ["src/Infrastructure/Features/Sessions/QuotaAdmission.cs"] = "a transaction-scoped advisory lock keyed by the current tenant, so two launches of one tenant admit one at a time",
        ["src/Infrastructure/Features/Platform/PlatformOverview.cs"] = "the operator console's per-tenant counts",
        ["src/Infrastructure/Features/Platform/PlatformSetup.cs"] = "creating the database, and the names tenants gave their own templates (a new global template must not take one)",
        ["src/Infrastructure/Features/Sso/SsoDirectory.cs"] = "the OpenIddict client holds every tenant's provider in one options object",
        ["src/Infrastructure/Observability/SessionCensus.cs"] = "the metrics census counts sessions of every tenant at scrape time",
        ["src/Infrastructure/Streaming/InputActivityFlush.cs"] = "one UPDATE of the last input times the gateway saw, for sessions of any tenant (the gateway has no tenant context)",
        ["src/Workers/Jobs/UsageRollup.cs"] = "one INSERT … SELECT that rolls every tenant's finished session runs into daily usage",
    };

    [Fact]
    public void Only_the_listed_files_step_outside_the_tenant_filter()
    {
        var found = SourceFiles().Where(f => CrossTenant().IsMatch(File.ReadAllText(Path.Combine(Repository.Root, f)))).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(found.Except(Allowed.Keys).Select(f => $"{f} ignores the tenant filter or runs raw SQL: add it to the list with why, or use the filtered context"));
        Assert.Empty(Allowed.Keys.Except(found).Select(f => $"{f} is listed but no longer steps outside the filter: remove it from the list"));
    }

    [Fact]
    public void No_query_turns_off_every_filter_only_the_tenant_one_by_name()
    {
        var offenders = SourceFiles().Where(f => AllFiltersOff().IsMatch(File.ReadAllText(Path.Combine(Repository.Root, f))));

        Assert.Empty(offenders);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)
                && !f.Contains("/Migrations/", StringComparison.Ordinal));

    [GeneratedRegex(@"IgnoreQueryFilters\s*\(|ExecuteSql(Raw|Interpolated)?Async\s*\(|SqlQuery(Raw)?\s*<|FromSql(Raw|Interpolated)?\s*\(|new\s+NpgsqlCommand\s*\(|\.CreateCommand\s*\(")]
    private static partial Regex CrossTenant();

    [GeneratedRegex(@"IgnoreQueryFilters\s*\(\s*\)")]
    private static partial Regex AllFiltersOff();
}
