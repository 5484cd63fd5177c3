using k8s;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>The portal with <c>Runtime:Kind=Kubernetes</c>, its API server the in-process fake holding it to the chart's RBAC; tenant <c>acme</c> (namespace converged) and two container templates.</summary>
public sealed class KubernetesPortal : PortalFactory, IAsyncLifetime
{
    public const string VncTemplate = "firefox-vnc";

    private FakeKubernetesApi? _api;

    public FakeKubernetesApi Api => _api ?? throw new InvalidOperationException("Not started.");

    public SignupResult Acme { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        await _api.InstallChartRbacAsync();
        await base.InitializeAsync();
        Acme = await CreateTenantAsync("acme", "ada@acme.test");
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TenantNamespaces>().ConvergeAsync(Acme.Tenant!, CancellationToken.None);
        }

        await using var platform = Database.CreateContext();
        var firefox = BuiltInTemplates.Named("firefox");
        platform.Templates.Add(Template.CreateGlobal(firefox));
        platform.Templates.Add(Template.CreateGlobal(firefox with
        {
            Name = VncTemplate,
            DisplayName = "Firefox (VNC)",
            Protocol = StreamProtocol.Rfb,
            Ports = [new TemplatePort("vnc", 5900)],
        }));

        // The README's Quick Demo asks for this name.
        platform.Templates.Add(Template.CreateGlobal(firefox with { Name = "firefox-browser" }));
        await platform.SaveChangesAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Api.DisposeAsync();
    }

    public StreamSpaceDb ContextOf(SignupResult tenant)
    {
        var context = new TenantContext();
        context.Use(tenant.Tenant!);
        return Database.CreateContext(context);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Runtime:Kind", "Kubernetes");
        builder.UseSetting("Runtime:Kubernetes:PollInterval", "00:00:00.050");
        builder.UseSetting("Runtime:Kubernetes:StartTimeout", "00:00:30");
        builder.UseSetting("Runtime:Kubernetes:PortalPort", "8443");
        // The host plays Workers (launches, imports, status) with their service account; the capacity is Web's own call.
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(_ => Api.ClientAs("streamspace", "streamspace-workers"));
            services.AddSingleton<IRuntimeCapacity>(_ => new KubernetesRuntimeCapacity(Api.ClientAs("streamspace", "streamspace-web")));
        });
    }
}
