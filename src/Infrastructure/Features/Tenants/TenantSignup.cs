using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Tenants;

/// <summary>Creates an organisation: the tenant, its default tiers and its first tenant admin, all or nothing.</summary>
public sealed class TenantSignup(
    StreamSpaceDb db,
    UserManager<Member> users,
    TenantContext tenantContext,
    AuditTrail audit,
    IBackgroundJobClient jobs,
    IOptions<RuntimeOptions> runtime,
    TimeProvider time)
{
    private static readonly EmailAddressAttribute EmailFormat = new();

    public async Task<SignupResult> SignUpAsync(SignupRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = await ValidateAsync(request, cancellationToken);
        if (errors.Count > 0)
        {
            return new SignupResult(null, null, errors);
        }

        var slug = request.TenantId!.Trim();
        var email = request.Email!.Trim();
        var now = time.GetUtcNow();
        var tenant = Tenant.Create(slug, request.OrganisationName!, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone took the id between our check and our insert (or the form was submitted twice).
            return SignupResult.Failed(nameof(SignupRequest.TenantId), TakenMessage(slug));
        }

        tenantContext.Use(tenant);
        var tiers = Tier.Defaults();
        db.Tiers.AddRange(tiers);
        var admin = Member.Create(email, email, MemberRole.TenantAdmin, tiers.Single(t => t.Name == "pro").Id, now);
        var created = await users.CreateAsync(admin, request.Password!);
        if (!created.Succeeded)
        {
            return new SignupResult(null, null, created.Errors
                .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? nameof(SignupRequest.Password) : nameof(SignupRequest.Email))
                .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Description))));
        }

        audit.RecordAs(email, admin.Id, AuditActions.TenantCreated, $"tenant/{slug}", tenant.DisplayName);
        audit.RecordAs(email, admin.Id, AuditActions.MemberSignedUp, $"member/{email}", MemberRole.TenantAdmin);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (runtime.Value.Kind == RuntimeKind.Kubernetes)
        {
            jobs.Enqueue<INamespaceJobs>(j => j.ConvergeNamespaceAsync(tenant.Id, CancellationToken.None));
        }

        return new SignupResult(tenant, admin, new Dictionary<string, string>());
    }

    private async Task<Dictionary<string, string>> ValidateAsync(SignupRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(request.OrganisationName))
        {
            errors[nameof(SignupRequest.OrganisationName)] = "Enter your organisation's name.";
        }
        else if (request.OrganisationName.Trim().Length > 200)
        {
            errors[nameof(SignupRequest.OrganisationName)] = "Keep the name under 200 characters.";
        }

        var slug = request.TenantId?.Trim();
        if (TenantSlug.Validate(slug) is { } slugProblem)
        {
            errors[nameof(SignupRequest.TenantId)] = slugProblem;
        }
        else if (await db.Tenants.AnyAsync(t => t.Slug == slug, cancellationToken))
        {
            errors[nameof(SignupRequest.TenantId)] = TakenMessage(slug!);
        }

        if (string.IsNullOrWhiteSpace(request.Email) || !EmailFormat.IsValid(request.Email.Trim()))
        {
            errors[nameof(SignupRequest.Email)] = "Enter an e-mail address such as you@example.com.";
        }
        else if (request.Email.Trim().Length > QuantityLimits.MaxEmailLength)
        {
            errors[nameof(SignupRequest.Email)] = $"An e-mail address has at most {QuantityLimits.MaxEmailLength} characters; this one has {request.Email.Trim().Length}.";
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors[nameof(SignupRequest.Password)] = "Choose a password.";
        }
        else
        {
            var problems = new List<string>();
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, new Member(), request.Password);
                problems.AddRange(result.Errors.Select(e => e.Description));
            }

            if (problems.Count > 0)
            {
                errors[nameof(SignupRequest.Password)] = string.Join(" ", problems);
            }
        }

        return errors;
    }

    private static string TakenMessage(string slug) => $"\"{slug}\" is already taken; choose another tenant id.";
}
