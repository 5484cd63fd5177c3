using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Sso;

/// <summary>A tenant's upstream provider: configured by its admins, and the members it signs in (created just in time).</summary>
public sealed class TenantSso(
    StreamSpaceDb db,
    SsoDirectory directory,
    UserManager<Member> members,
    AuditTrail audit,
    TenantContext tenantContext,
    IHttpClientFactory http,
    SsoAuthorityAddresses authorities,
    TimeProvider time)
{
    /// <summary>What a disabled member is told when their provider signs them in.</summary>
    public const string DisabledMember = "This account is disabled. Ask an administrator of your organisation to enable it.";

    public Task<IdentityProvider?> GetAsync(CancellationToken cancellationToken) =>
        db.IdentityProviders.AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    public async Task SaveAsync(SsoSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = await db.IdentityProviders.SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (provider is null)
        {
            provider = IdentityProvider.Create(now);
            db.IdentityProviders.Add(provider);
        }

        var secret = string.IsNullOrWhiteSpace(settings.ClientSecret) ? null : directory.Protect(settings.ClientSecret.Trim());
        provider.Change(settings.DisplayName, settings.Issuer, settings.ClientId, secret, settings.Scopes, settings.GroupsClaim,
            settings.AdminGroup, settings.TierGroups, settings.LocalPasswordsDisabled, now);
        if (await authorities.RefusalAsync(new Uri(provider.Issuer, UriKind.Absolute), cancellationToken) is { } refusal)
        {
            throw new FieldException(nameof(IdentityProvider.Issuer), refusal);
        }

        // Provider-only is a promise that the provider works: refused until someone has signed in through this issuer, so a
        // mistyped or unreachable provider cannot become the organisation's only way in (administrators keep a password
        // sign-in anyway, audited).
        if (provider.LocalPasswordsDisabled && !await HasSignedInThroughAsync(provider.Issuer, cancellationToken))
        {
            throw new DomainException(
                $"Members can be limited to {provider.DisplayName} only after a sign-in through it has worked: save the provider with passwords still allowed, "
                + "sign in with it once (a private window keeps you signed in here), then turn this on.");
        }

        var unknownTiers = provider.TierGroups.Select(m => m.Split('=')[1]).Except(await db.Tiers.Select(t => t.Name).ToListAsync(cancellationToken)).ToList();
        if (unknownTiers.Count > 0)
        {
            throw new DomainException($"There is no tier named {string.Join(", ", unknownTiers.Select(t => $"\"{t}\""))}.");
        }

        // The secret is never part of the audit details.
        audit.Record(AuditActions.SsoConfigured, $"sso/{provider.DisplayName}",
            $"issuer={provider.Issuer} client={provider.ClientId} secret={(secret is null ? "kept" : "changed")} local-passwords={(provider.LocalPasswordsDisabled ? "off" : "on")}");
        await db.SaveChangesAsync(cancellationToken);
        await directory.ReloadAsync(cancellationToken);
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        var provider = await db.IdentityProviders.SingleOrDefaultAsync(cancellationToken);
        if (provider is null)
        {
            return;
        }

        db.IdentityProviders.Remove(provider);
        audit.Record(AuditActions.SsoRemoved, $"sso/{provider.DisplayName}", provider.Issuer);
        await db.SaveChangesAsync(cancellationToken);
        await directory.ReloadAsync(cancellationToken);
    }

    private async Task<bool> HasSignedInThroughAsync(string issuer, CancellationToken cancellationToken)
    {
        var bare = issuer.TrimEnd('/');
        var slashed = bare + "/";
        return await db.ExternalLogins.AnyAsync(l => l.Issuer == bare || l.Issuer == slashed, cancellationToken);
    }

    /// <summary>Fetches the discovery document and says, in words, what would stop sign-ins; empty when nothing does.</summary>
    public async Task<IReadOnlyList<string>> TestConnectionAsync(string issuer, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(issuer?.Trim(), UriKind.Absolute, out var issuerUri))
        {
            return ["The issuer is not an absolute address."];
        }

        if (await authorities.RefusalAsync(issuerUri, cancellationToken) is { } refusal)
        {
            return [refusal];
        }

        var discovery = new Uri(issuerUri.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        using var client = http.CreateClient(nameof(TenantSso));
        client.Timeout = TimeSpan.FromSeconds(30);
        client.MaxResponseContentBufferSize = 1 << 20;
        JsonElement document;
        try
        {
            using var response = await client.GetAsync(discovery, cancellationToken);
            // The status code only: whatever else the server says is not repeated to the admin.
            if (!response.IsSuccessStatusCode)
            {
                return [$"{discovery} answered {(int)response.StatusCode}; check the issuer address (Keycloak: …/realms/<realm>, Authentik: …/application/o/<slug>/)."];
            }

            document = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (HttpRequestException e) when (RefusalIn(e) is { } refused)
        {
            return [refused.Message];
        }
        catch (HttpRequestException e)
        {
            // The kind of failure, not its message: that would say which internal ports answer.
            return [$"{discovery} could not be reached ({e.HttpRequestError})."];
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [$"{discovery} did not answer within 30 seconds."];
        }
        catch (JsonException)
        {
            return [$"{discovery} did not return a JSON discovery document."];
        }

        var problems = new List<string>();
        var announced = document.TryGetProperty("issuer", out var value) ? value.GetString() : null;
        if (announced is null || !Uri.TryCreate(announced, UriKind.Absolute, out var announcedUri) || announcedUri != issuerUri)
        {
            problems.Add($"The provider calls itself \"{announced}\", not \"{issuerUri.AbsoluteUri}\"; use exactly its issuer.");
        }

        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "jwks_uri" })
        {
            if (!document.TryGetProperty(endpoint, out _))
            {
                problems.Add($"The discovery document has no {endpoint}.");
            }
        }

        if (document.TryGetProperty("response_types_supported", out var types) && types.ValueKind == JsonValueKind.Array
            && !types.EnumerateArray().Any(t => t.GetString() == "code"))
        {
            problems.Add("The provider does not offer the authorization code flow (response type \"code\").");
        }

        return problems;
    }

    /// <summary>The address check's refusal inside a failed request (it happens at connect time, after a redirect too).</summary>
    private static DomainException? RefusalIn(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is DomainException refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    /// <summary>
    /// The member behind an upstream identity: found by (tenant, issuer, subject), created on the first sign-in, and given the
    /// role and tier the provider's groups map to on every sign-in.
    /// </summary>
    public async Task<Member> SignInAsync(string issuer, string subject, ClaimsPrincipal upstream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var provider = await db.IdentityProviders.AsNoTracking().SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("This organisation no longer signs in with an identity provider.");
        var groups = upstream.FindAll(provider.GroupsClaim).Select(c => c.Value).ToList();
        var (role, tierName) = provider.Map(groups);
        var tiers = await db.Tiers.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var tierId = tiers.SingleOrDefault(t => t.Name == (tierName ?? "free"))?.Id;

        var login = await db.ExternalLogins.AsNoTracking().SingleOrDefaultAsync(l => l.Issuer == issuer && l.Subject == subject, cancellationToken);
        Member member;
        if (login is null)
        {
            var email = upstream.FindFirst("email")?.Value ?? upstream.FindFirst(ClaimTypes.Email)?.Value
                ?? throw new DomainException("The identity provider sent no e-mail address; add the email scope to the provider's client.");
            if (await members.FindByEmailAsync(email) is not null)
            {
                throw new DomainException($"A member with the e-mail {email} already exists here and is not linked to this provider; ask a tenant admin.");
            }

            var name = upstream.FindFirst("name")?.Value ?? upstream.FindFirst("preferred_username")?.Value ?? email;
            member = Member.Create(email, name, role, tierId, time.GetUtcNow());
            var created = await members.CreateAsync(member);
            if (!created.Succeeded)
            {
                throw new DomainException(string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            db.ExternalLogins.Add(new ExternalLogin
            {
                Id = Guid.CreateVersion7(), TenantId = tenantContext.TenantId!.Value, Issuer = issuer, Subject = subject, MemberId = member.Id, CreatedAt = time.GetUtcNow(),
            });
            audit.RecordAs(email, member.Id, AuditActions.SsoMemberCreated, $"member/{email}", $"role={role} tier={tierName ?? "free"}");
        }
        else
        {
            member = await db.Users.SingleAsync(m => m.Id == login.MemberId, cancellationToken);
            if (member.IsDisabled)
            {
                audit.RecordAs(member.Email!, member.Id, AuditActions.SignInFailed, $"member/{member.Email}", $"sso {issuer}: account disabled");
                await db.SaveChangesAsync(cancellationToken);
                throw new DomainException(DisabledMember);
            }

            if (member.Role != role)
            {
                member.ChangeRole(role);

                // Cookies issued before carry the old role: a new stamp refuses them (the one signed in now gets the new stamp).
                member.SecurityStamp = Guid.NewGuid().ToString("N");
            }

            member.TierId = tierId;
        }

        audit.RecordAs(member.Email!, member.Id, AuditActions.SignInSucceeded, $"member/{member.Email}", $"sso {issuer}");
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }
}
