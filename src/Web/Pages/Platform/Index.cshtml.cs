using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Platform;

namespace StreamSpace.Web.Pages.Platform;

public sealed class IndexModel(PlatformOverview overview) : PageModel
{
    public IReadOnlyList<TenantOverview> Tenants { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Tenants = await overview.TenantsAsync(cancellationToken);
}
