using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Features.Tenants;

/// <summary>Either the new tenant and its first admin, or the problems per form field (keys are <see cref="SignupRequest"/> property names).</summary>
public sealed record SignupResult(Tenant? Tenant, Member? Admin, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static SignupResult Failed(string field, string message) =>
        new(null, null, new Dictionary<string, string> { [field] = message });
}
