extern alias workers;

using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;
using CustomResourceWatch = workers::StreamSpace.Workers.Kubernetes.CustomResourceWatch;
using SessionResourceImport = workers::StreamSpace.Workers.Kubernetes.SessionResourceImport;
using TemplateResourceImport = workers::StreamSpace.Workers.Kubernetes.TemplateResourceImport;
using UserResourceImport = workers::StreamSpace.Workers.Kubernetes.UserResourceImport;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>Resources applied with kubectl (written straight into the fake API server) imported by the watch loop and the importers.</summary>
public sealed class KubectlImportTests(KubernetesPortal portal) : IClassFixture<KubernetesPortal>, IAsyncLifetime, IDisposable
{
    private const string Namespace = "ss-acme";
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await using (var db = portal.ContextOf(portal.Acme))
        {
            if (!await db.Users.AnyAsync(m => m.Email == "john@acme.test"))
            {
                await portal.AddMemberAsync(portal.Acme, "john@acme.test");
            }
        }

        _watching = Task.WhenAll(
            Watch(SessionResource.Plural, (services, type, value, ct) => Import<SessionResourceImport>(services).HandleAsync(type, value, ct)),
            Watch(TemplateResourceImport.Plural, (services, type, value, ct) => Import<TemplateResourceImport>(services).HandleAsync(type, value, ct)),
            Watch(UserResourceImport.Plural, (services, type, value, ct) => Import<UserResourceImport>(services).HandleAsync(type, value, ct)));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task The_readme_quick_demo_session_applied_with_kubectl_is_admitted_and_launched()
    {
        portal.Api.Create("sessions", Namespace, YamlJson.InNamespace(ProductExamples.Session, Namespace));

        var status = await StatusAsync("sessions", "my-firefox");
        Assert.Equal("Pending", status["phase"]!.GetValue<string>());
        Assert.Equal("True", status["conditions"]![0]!["status"]!.GetValue<string>());
        await using var db = portal.ContextOf(portal.Acme);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == Guid.Parse(status["sessionId"]!.GetValue<string>()));
        Assert.Equal("my-firefox", session.Name);
        Assert.Equal(2L << 30, session.MemoryBytes);
        Assert.Equal(await db.Users.Where(m => m.Email == "john@acme.test").Select(m => m.Id).SingleAsync(), session.MemberId);

        portal.Api.Delete("sessions", Namespace, "my-firefox");
        await Eventually.TrueAsync(() => StateOf(session.Id) == SessionState.Terminating, "kubectl delete terminates the session");
    }

    [Fact]
    public async Task A_session_asking_for_cpu_as_a_plain_number_of_cores_is_admitted_with_that_many_cores()
    {
        var document = YamlJson.InNamespace(ProductExamples.Session.Replace("my-firefox", "one-core-firefox", StringComparison.Ordinal), Namespace);
        document["spec"]!["resources"]!["cpu"] = 1;
        portal.Api.Create("sessions", Namespace, document);

        var status = await StatusAsync("sessions", "one-core-firefox");
        Assert.Equal("Pending", status["phase"]!.GetValue<string>());
        await using var db = portal.ContextOf(portal.Acme);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == Guid.Parse(status["sessionId"]!.GetValue<string>()));
        Assert.Equal(1000, session.CpuMillicores);
    }

    [Fact]
    public async Task A_session_for_someone_who_is_not_a_member_is_refused_with_a_condition_saying_why()
    {
        var document = YamlJson.InNamespace(ProductExamples.Session.Replace("my-firefox", "mallory-firefox", StringComparison.Ordinal).Replace("user: john", "user: mallory", StringComparison.Ordinal), Namespace);
        portal.Api.Create("sessions", Namespace, document);

        var status = await StatusAsync("sessions", "mallory-firefox");
        Assert.Equal("Refused", status["phase"]!.GetValue<string>());
        var condition = status["conditions"]![0]!;
        Assert.Equal(("Admitted", "False", "UnknownUser"), (condition["type"]!.GetValue<string>(), condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>()));
        Assert.Equal("There is no member \"mallory\" in acme Inc..", condition["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_session_asking_for_more_memory_than_any_tier_allows_is_refused_with_the_maximum()
    {
        var document = YamlJson.InNamespace(ProductExamples.Session.Replace("my-firefox", "vast-firefox", StringComparison.Ordinal).Replace("memory: 2Gi", "memory: 99999999999999999999999Ti", StringComparison.Ordinal), Namespace);
        portal.Api.Create("sessions", Namespace, document);

        var condition = (await StatusAsync("sessions", "vast-firefox"))["conditions"]![0]!;
        Assert.Equal("InvalidResources", condition["reason"]!.GetValue<string>());
        Assert.Equal("\"99999999999999999999999Ti\" is more than the maximum, 64Ti.", condition["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_session_beyond_the_members_quota_is_refused_by_quota_admission()
    {
        var document = YamlJson.InNamespace(ProductExamples.Session.Replace("my-firefox", "huge-firefox", StringComparison.Ordinal).Replace("memory: 2Gi", "memory: 64Gi", StringComparison.Ordinal), Namespace);
        portal.Api.Create("sessions", Namespace, document);

        var condition = (await StatusAsync("sessions", "huge-firefox"))["conditions"]![0]!;
        Assert.Equal("QuotaExceeded", condition["reason"]!.GetValue<string>());
        await using var db = portal.ContextOf(portal.Acme);
        Assert.False(await db.Sessions.AnyAsync(s => s.Name == "huge-firefox"));
    }

    [Fact]
    public async Task The_readme_user_applied_with_kubectl_sets_the_members_tier_and_quota_overrides()
    {
        portal.Api.Create("users", Namespace, YamlJson.InNamespace(ProductExamples.User, Namespace));

        var status = await StatusAsync("users", "john");
        Assert.Equal("True", status["conditions"]![0]!["status"]!.GetValue<string>());
        await using var db = portal.ContextOf(portal.Acme);
        var john = await db.Users.AsNoTracking().SingleAsync(m => m.Email == "john@acme.test");
        Assert.Equal(await db.Tiers.Where(t => t.Name == "pro").Select(t => t.Id).SingleAsync(), john.TierId);
        Assert.Equal((16L << 30, 5, 100L << 30, TimeSpan.FromHours(8)),
            (john.Overrides.MemoryBytes, john.Overrides.MaxSessions, john.Overrides.StorageBytes, john.Overrides.MaxSessionDuration));
    }

    [Fact]
    public async Task A_template_applied_with_kubectl_joins_the_tenants_catalog_and_a_broken_one_says_why()
    {
        portal.Api.Create("templates", Namespace, YamlJson.InNamespace(ProductExamples.Template, Namespace));
        var broken = YamlJson.InNamespace(ProductExamples.Template.Replace("my-app", "broken-app", StringComparison.Ordinal), Namespace);
        broken["spec"]!["ports"]![0]!["containerPort"] = 70000;
        portal.Api.Create("templates", Namespace, broken);

        Assert.Equal("True", (await StatusAsync("templates", "my-app"))["conditions"]![0]!["status"]!.GetValue<string>());
        var refused = (await StatusAsync("templates", "broken-app"))["conditions"]![0]!;
        Assert.Equal("False", refused["status"]!.GetValue<string>());
        Assert.Contains("containerPort", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.True(await db.Templates.AnyAsync(t => t.Name == "my-app" && t.TenantId == portal.Acme.Tenant!.Id));
        Assert.False(await db.Templates.AnyAsync(t => t.Name == "broken-app"));
    }

    [Fact]
    public async Task Deleting_a_template_resource_disables_its_template_and_applying_it_again_enables_it()
    {
        var document = YamlJson.InNamespace(ProductExamples.Template.Replace("my-app", "gone-app", StringComparison.Ordinal), Namespace);
        portal.Api.Create("templates", Namespace, document.DeepClone().AsObject());
        Assert.Equal("True", (await StatusAsync("templates", "gone-app"))["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.False(IsDisabled("gone-app"));

        portal.Api.Delete("templates", Namespace, "gone-app");

        await Eventually.TrueAsync(() => IsDisabled("gone-app"), "kubectl delete template disables the template", TimeSpan.FromSeconds(20));
        await using (var db = portal.ContextOf(portal.Acme))
        {
            Assert.True(await db.Templates.AnyAsync(t => t.Name == "gone-app"));
        }

        portal.Api.Create("templates", Namespace, document);
        await Eventually.TrueAsync(() => !IsDisabled("gone-app"), "applying the template again enables it", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Deleting_a_refused_template_resource_named_like_a_global_template_leaves_the_global_one_enabled()
    {
        portal.Api.Create("templates", Namespace, YamlJson.InNamespace(ProductExamples.Template.Replace("my-app", "firefox-browser", StringComparison.Ordinal), Namespace));
        Assert.Equal("False", (await StatusAsync("templates", "firefox-browser"))["conditions"]![0]!["status"]!.GetValue<string>());

        portal.Api.Delete("templates", Namespace, "firefox-browser");

        // The watch answers the DELETED event in order: once a later template is imported, the delete was handled.
        portal.Api.Create("templates", Namespace, YamlJson.InNamespace(ProductExamples.Template.Replace("my-app", "after-app", StringComparison.Ordinal), Namespace));
        await StatusAsync("templates", "after-app");
        Assert.False(IsDisabled("firefox-browser"));
    }

    private bool IsDisabled(string template)
    {
        using var db = portal.ContextOf(portal.Acme);
        return db.DisabledTemplates.Any(d => db.Templates.Any(t => t.Id == d.TemplateId && t.Name == template));
    }

    private async Task<JsonNode> StatusAsync(string plural, string name)
    {
        JsonNode? status = null;
        await Eventually.TrueAsync(() => (status = portal.Api.Get(plural, Namespace, name)?["status"]) is not null, $"{plural}/{name} has a status", TimeSpan.FromSeconds(20));
        return status!;
    }

    private SessionState? StateOf(Guid sessionId)
    {
        using var db = portal.ContextOf(portal.Acme);
        return db.Sessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => (SessionState?)s.State).SingleOrDefault();
    }

    private Task Watch(string plural, Func<IServiceProvider, WatchEventType, JsonElement, CancellationToken, Task> handle)
    {
        var watch = new CustomResourceWatch(portal.Services.GetRequiredService<IKubernetes>(), plural, NullLogger.Instance);
        return watch.RunAsync(async (type, value, ct) =>
        {
            await using var scope = portal.Services.CreateAsyncScope();
            await handle(scope.ServiceProvider, type, value, ct);
        }, _stop.Token);
    }

    private static T Import<T>(IServiceProvider services) where T : class =>
        ActivatorUtilities.CreateInstance<T>(services);
}
