using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.ApiClients;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Features.Tiers;
using StreamSpace.Infrastructure.Features.Usage;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Infrastructure.Runtimes.Containers;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Infrastructure.Features.Sso;

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
        services.AddScoped<AuditLog>();
        services.AddScoped<TenantUsage>();
        services.AddScoped<TenantSignup>();
        services.AddScoped<TemplateCatalogSeed>();
        services.AddScoped<TenantTemplates>();
        services.AddScoped<TenantCatalog>();
        services.AddSingleton<PlatformSetup>();
        services.AddScoped<PlatformOverview>();
        services.AddScoped<TenantOperations>();
        services.AddSingleton<TenantScope>();
        services.AddScoped<AllTenantsSessions>();
        services.AddScoped<MemberSessions>();
        services.AddScoped<SessionHibernation>();
        services.AddScoped<SessionSpecs>();
        services.AddScoped<QuotaAdmission>();
        services.AddScoped<MemberQuotas>();
        services.AddScoped<TenantTiers>();
        services.AddScoped<TenantMembers>();
        services.AddScoped<MemberStanding>();
        services.AddScoped<ApiTokenRevocation>();
        services.AddScoped<MemberInvitations>();
        services.AddOptions<InvitationOptions>().BindConfiguration(InvitationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StreamSpaceMetrics>();
        services.AddScoped<TenantApiClients>();
        services.AddScoped<Features.Sso.TenantSso>();
        services.AddOptions<Features.Sso.SsoAuthorityOptions>().BindConfiguration(Features.Sso.SsoAuthorityOptions.Section)
            .Validate(o => o.NetworksAreValid(), $"{Features.Sso.SsoAuthorityOptions.Section}:AllowedAuthorityNetworks holds an entry that is not a network such as 10.20.0.0/16.")
            .ValidateOnStart();
        services.AddSingleton<Features.Sso.SsoAuthorityAddresses>();
        services.AddHttpClient(nameof(Features.Sso.TenantSso))
            .ConfigurePrimaryHttpMessageHandler(sp => new Features.Sso.SsoAuthorityHandler(sp.GetRequiredService<Features.Sso.SsoAuthorityAddresses>()));
        services.AddSingleton<SsoDirectory>();
        services.AddHttpClient();
        services.AddSingleton<IdentityKeys>();
        services.AddOptions<IdentityKeysOptions>().BindConfiguration(IdentityKeysOptions.Section);

        // Applications, tokens and authorizations in our database: Web issues and checks tokens, Workers prunes them.
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<StreamSpaceDb>());
        services.AddOptions<HibernationOptions>().BindConfiguration(HibernationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReconcileOptions>().BindConfiguration(ReconcileOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Runtime:Kind chooses where sessions run: this machine (sandboxes and containers, the embedded default) or Kubernetes.
        services.AddOptions<RuntimeOptions>().BindConfiguration(RuntimeOptions.Section);
        services.AddContainerEngine();
        services.AddSingleton<SessionPlacement>();
        if (builder.Configuration.GetValue<RuntimeKind?>($"{RuntimeOptions.Section}:{nameof(RuntimeOptions.Kind)}") == RuntimeKind.Kubernetes)
        {
            services.AddKubernetesSessionRuntime();
        }
        else
        {
            services.AddLocalSessionRuntime();
        }

        // Keys in PostgreSQL: cookies and handover tickets stay valid across restarts and replicas.
        services.AddDataProtection().SetApplicationName("StreamSpace").PersistKeysToDbContext<StreamSpaceDb>();

        // Our own storage instance, registered before AddHangfire: its TryAdd then keeps it, and nothing relies on the
        // process-wide JobStorage.Current (two hosts in one process, as in the tests, would otherwise share one).
        var hangfireStorage = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,

            // A launch waits for its provision job to be picked up: poll the queue every half second, not every 15.
            QueuePollInterval = TimeSpan.FromMilliseconds(500),
        };
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, hangfireStorage), hangfireStorage));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        return builder;
    }
}
