using Microsoft.AspNetCore.Http;

namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>Paths answered the same for every tenant, so tenant resolution and checks skip them (the API takes its tenant from the token).</summary>
public static class TenantFreePaths
{
    private static readonly string[] Prefixes = ["/healthz", "/metrics", "/error", "/lib", "/css", "/js", "/images", "/connect", "/.well-known", "/api"];

    public static bool Contains(PathString path) =>
        Prefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
