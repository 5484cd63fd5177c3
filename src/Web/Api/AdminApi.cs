using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Web.Api;

/// <summary>What a tenant admin's token may read: members, tiers and metered usage of the organisation.</summary>
public static class AdminApi
{
    public static void MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/").WithTags("Administration").RequireAuthorization(ApiPolicies.Admin);
        admin.MapGet("/members", MembersAsync).WithName("ListMembers").WithSummary("The organisation's members with role and tier.");
        admin.MapGet("/members/{id:guid}", MemberAsync).WithName("GetMember").WithSummary("One member.").ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/tiers", TiersAsync).WithName("ListTiers").WithSummary("The organisation's tiers: quotas and DLP rules.");
        admin.MapGet("/usage", UsageAsync).WithName("GetUsage")
            .WithSummary("Metered session time per member and template from `from` (default: the start of this month, UTC) until `to` (default: now).");
    }

    private static async Task<Ok<List<ApiMember>>> MembersAsync(StreamSpaceDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Members(db, null).ToListAsync(cancellationToken));

    private static async Task<Results<Ok<ApiMember>, ProblemHttpResult>> MemberAsync(StreamSpaceDb db, Guid id, CancellationToken cancellationToken) =>
        await Members(db, id).SingleOrDefaultAsync(cancellationToken) is { } member
            ? TypedResults.Ok(member)
            : TypedResults.Problem($"Member {id} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Member not found");

    private static async Task<Ok<List<ApiTier>>> TiersAsync(StreamSpaceDb db, CancellationToken cancellationToken)
    {
        var tiers = await db.Tiers.AsNoTracking().OrderBy(t => t.MemoryBytes).ThenBy(t => t.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(tiers.Select(t => new ApiTier(
                t.Name, Quantity.FormatBytes(t.MemoryBytes), Quantity.FormatMillicores(t.CpuMillicores), t.MaxSessions, Quantity.FormatBytes(t.StorageBytes),
                Quantity.FormatDuration(t.MaxSessionDuration), Quantity.FormatDuration(t.IdleTimeout), t.ClipboardIn, t.ClipboardOut, t.FileTransfer, t.Watermark))
            .ToList());
    }

    private static async Task<Ok<List<ApiUsage>>> UsageAsync(
        StreamSpaceDb db, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var start = from ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = to ?? now;
        var usage = await db.UsageSamples.AsNoTracking()
            .Where(u => u.Hour >= start && u.Hour < end)
            .GroupBy(u => new { u.MemberId, u.TemplateId })
            .Select(g => new { g.Key.MemberId, g.Key.TemplateId, Seconds = g.Sum(u => u.Seconds) })
            .Join(db.Users, u => u.MemberId, m => m.Id, (u, m) => new { u.MemberId, u.TemplateId, u.Seconds, m.Email })
            .Join(db.Templates, u => u.TemplateId, t => t.Id, (u, t) => new ApiUsage(u.MemberId, u.Email!, t.Name, u.Seconds))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(usage.OrderBy(u => u.Member, StringComparer.Ordinal).ThenBy(u => u.Template, StringComparer.Ordinal).ToList());
    }

    private static IQueryable<ApiMember> Members(StreamSpaceDb db, Guid? only) =>
        db.Users.AsNoTracking()
            .Where(m => only == null || m.Id == only)
            .OrderBy(m => m.Email)
            .Select(m => new ApiMember(
                m.Id, m.Email!, m.DisplayName, m.Role, db.Tiers.Where(t => t.Id == m.TierId).Select(t => t.Name).FirstOrDefault(), m.CreatedAt));
}
