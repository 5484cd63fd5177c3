using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Sessions.Local;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure;

public static class InfrastructureExtensions
{
    /// <summary>Database, tenancy, data protection and the Hangfire storage: what Web and Workers share.</summary>
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString(StreamSpaceDbOptions.ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings__{StreamSpaceDbOptions.ConnectionStringName} to the PostgreSQL connection string.");

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddHttpContextAccessor();
        services.AddDbContext<StreamSpaceDb>(options => StreamSpaceDbOptions.Configure(options, connectionString));
        services.AddOptions<TenancyOptions>().BindConfiguration(TenancyOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<TenantContext>();
        services.AddScoped<TenantStore>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<TenantSignup>();
        services.AddScoped<TemplateCatalogSeed>();
        services.AddScoped<TenantTemplates>();
        services.AddSingleton<PlatformSetup>();
        services.AddScoped<PlatformOverview>();
        services.AddScoped<MemberSessions>();
        services.AddScoped<SessionSpecs>();

        // The embedded runtime; the Kubernetes one will be chosen by Runtime:Kind.
        services.AddLocalSessionRuntime();

        // Keys in PostgreSQL: cookies and handover tickets stay valid across restarts and replicas.
        services.AddDataProtection().SetApplicationName("StreamSpace").PersistKeysToDbContext<StreamSpaceDb>();

        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                bootstrap => bootstrap.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true }));
        return builder;
    }
}
