using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>
/// Prepares an installation: migrations, global templates, the operators' tenant and (for <c>make run</c>) a demo tenant.
/// Works across tenants, so each tenant's part runs in its own scope with that tenant set.
/// </summary>
public sealed class PlatformSetup(IServiceScopeFactory scopes, TenantScope tenants, TimeProvider time)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<StreamSpaceDb>().Database;
        await CreateDatabaseIfMissingAsync(database.GetConnectionString()!, cancellationToken);
        // EF Core reads the history table before it creates it and logs that read's failure on a first start.
        await database.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the database through the server's maintenance database first: EF Core would find it missing by failing to connect,
    /// which it logs as an error on every first start.
    /// </summary>
    private static async Task CreateDatabaseIfMissingAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(target.Database))
        {
            return;
        }

        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", target.Database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // An identifier cannot be a parameter; quoting it (doubling any quote) keeps the configured name exactly.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between the check and here.
        }
    }

    /// <summary>Loads the shipped catalog (<see cref="BuiltInTemplates"/>) into the global templates; safe to run on every start.</summary>
    public async Task<CatalogSeedOutcome> SeedTemplatesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamSpaceDb>();

        // Across tenants on purpose: a new global template must not take a name some tenant already gave its own.
        var taken = await db.Templates.IgnoreQueryFilters([StreamSpaceDb.TenantFilter])
            .Where(t => t.TenantId != null).Select(t => t.Name).Distinct().ToListAsync(cancellationToken);
        return await scope.ServiceProvider.GetRequiredService<TemplateCatalogSeed>()
            .ApplyAsync(BuiltInTemplates.All, taken.ToHashSet(StringComparer.Ordinal), cancellationToken);
    }

    /// <summary>
    /// Makes sure the tenant and the member exist and that <paramref name="knownPassword"/> signs them in;
    /// when it does not (first run, or the password was changed), sets a new generated one.
    /// </summary>
    public async Task<SeededAccount> EnsureAccountAsync(
        string slug, string organisationName, string email, string role, string? knownPassword, CancellationToken cancellationToken)
    {
        await EnsureTenantAsync(slug, organisationName, cancellationToken);
        SeededAccount? account = null;
        await tenants.RunAsync(slug, async (services, tenant) =>
        {
            var db = services.GetRequiredService<StreamSpaceDb>();
            if (!tenant.IsPlatform && !await db.Tiers.AnyAsync(cancellationToken))
            {
                db.Tiers.AddRange(Tier.Defaults());
                await db.SaveChangesAsync(cancellationToken);
            }

            account = await EnsureMemberAsync(services.GetRequiredService<UserManager<Member>>(), db, tenant, email, role, knownPassword, cancellationToken);
        }, cancellationToken);
        return account ?? throw new InvalidOperationException($"The tenant {slug} disappeared while its account was being set up.");
    }

    private async Task EnsureTenantAsync(string slug, string organisationName, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamSpaceDb>();
        if (!await db.Tenants.AnyAsync(t => t.Slug == slug, cancellationToken))
        {
            db.Tenants.Add(slug == Tenant.PlatformSlug
                ? Tenant.CreatePlatform(time.GetUtcNow())
                : Tenant.Create(slug, organisationName, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<SeededAccount> EnsureMemberAsync(
        UserManager<Member> users, StreamSpaceDb db, Tenant tenant, string email, string role, string? knownPassword, CancellationToken cancellationToken)
    {
        var slug = tenant.Slug;
        var member = await users.FindByEmailAsync(email);
        if (member is null)
        {
            var tierId = tenant.IsPlatform ? null : (Guid?)(await db.Tiers.SingleAsync(t => t.Name == "pro", cancellationToken)).Id;
            member = Member.Create(email, email, role, tierId, time.GetUtcNow());
            var password = GeneratePassword();
            Check(await users.CreateAsync(member, password));
            return new SeededAccount(slug, email, password, PasswordChanged: true);
        }

        if (knownPassword is not null && await users.CheckPasswordAsync(member, knownPassword))
        {
            return new SeededAccount(slug, email, knownPassword, PasswordChanged: false);
        }

        var fresh = GeneratePassword();
        Check(await users.RemovePasswordAsync(member));
        Check(await users.AddPasswordAsync(member, fresh));
        return new SeededAccount(slug, email, fresh, PasswordChanged: true);
    }

    /// <summary>Five groups of four letters and digits: easy to type from a terminal, 100+ bits of entropy.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
        var chars = new char[24];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (i + 1) % 5 == 0 ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
