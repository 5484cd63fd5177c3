using Hangfire.Dashboard;
using StreamSpace.Domain.Members;

namespace StreamSpace.Web.Platform;

/// <summary>The Hangfire dashboard (<c>/platform/jobs</c>) is for operators only.</summary>
public sealed class PlatformAdminDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User.IsInRole(MemberRole.PlatformAdmin);
}
