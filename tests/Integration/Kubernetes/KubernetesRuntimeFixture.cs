using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>The Kubernetes runtime as Workers run it (their service account, the chart's RBAC), against a fresh fake API server; tenant <c>acme</c> converged.</summary>
public sealed class KubernetesRuntimeFixture : IAsyncLifetime
{
    private FakeKubernetesApi? _api;

    public FakeKubernetesApi Api => _api ?? throw new InvalidOperationException("Not started.");

    public KubernetesRuntimeOptions Options { get; } = new() { PollInterval = TimeSpan.FromMilliseconds(20), StartTimeout = TimeSpan.FromSeconds(20) };

    /// <summary>Workers' service account, held to the chart's RBAC.</summary>
    public IKubernetes Client { get; private set; } = null!;

    /// <summary>Web's service account (the gateway), held to the chart's RBAC.</summary>
    public IKubernetes WebClient { get; private set; } = null!;

    public KubernetesSessionRuntime Runtime { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        await _api.InstallChartRbacAsync();
        Client = _api.ClientAs(Options.WorkersNamespace, Options.WorkersServiceAccount);
        WebClient = _api.ClientAs(Options.GatewayNamespace, Options.GatewayServiceAccount);

        // As after sign-up: the tenant's namespace exists, and with it Workers' rights there.
        await new TenantNamespaces(Client, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<TenantNamespaces>.Instance)
            .ConvergeAsync(Tenant.Create("acme", "Acme", DateTimeOffset.UtcNow), CancellationToken.None);

        // A session started by this runtime needs no database to find its namespace again.
        Runtime = new KubernetesSessionRuntime(
            Client, Microsoft.Extensions.Options.Options.Create(Options),
            new SessionViewerUrls(Microsoft.Extensions.Options.Options.Create(new TenancyOptions { BaseDomain = "streamspace.example.com" }), Microsoft.Extensions.Options.Options.Create(Options)),
            TimeProvider.System, NullLogger<KubernetesSessionRuntime>.Instance);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        WebClient.Dispose();
        await Api.DisposeAsync();
    }

    public static SessionSpec Spec(
        string image = "lscr.io/linuxserver/firefox:latest",
        StreamProtocol protocol = StreamProtocol.Rfb,
        string[]? capabilities = null,
        Guid? memberId = null) =>
        new(
            Guid.NewGuid(),
            Guid.NewGuid(),
            "acme",
            memberId ?? Guid.NewGuid(),
            1000,
            "firefox",
            "Firefox",
            image,
            null,
            protocol,
            protocol == StreamProtocol.Rfb ? 5900 : 3000,
            2L << 30,
            1500,
            capabilities ?? ["network"],
            new Dictionary<string, string> { ["TITLE"] = "Firefox" },
            ScreenSize.Default,
            ClipboardIn: true,
            ClipboardOut: true,
            UseVncAuth: protocol == StreamProtocol.Rfb)
        {
            SessionName = "firefox-1a2b3c",
            MemberName = "john@acme.test",
            HomeStorageBytes = 100L << 30,
        };
}
