namespace StreamSpace.Infrastructure.Features.Tenants;

public sealed record SignupRequest(string? OrganisationName, string? TenantId, string? Email, string? Password);
