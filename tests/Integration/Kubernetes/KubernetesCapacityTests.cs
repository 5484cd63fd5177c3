using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Tests.Integration.Audit;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>The operator console's capacity with <c>Runtime:Kind=Kubernetes</c>: the cluster's nodes, not the machine Web runs on.</summary>
public sealed class KubernetesCapacityTests(KubernetesPortal portal) : IClassFixture<KubernetesPortal>
{
    [Fact]
    public async Task The_operator_console_capacity_is_the_allocatable_memory_of_the_nodes_sessions_can_be_scheduled_on()
    {
        portal.Api.Create("nodes", null, Node("worker-1", "16Gi"));
        portal.Api.Create("nodes", null, Node("worker-2", "32817072Ki"));
        portal.Api.Create("nodes", null, Node("cordoned", "64Gi", spec: new JsonObject { ["unschedulable"] = true }));
        portal.Api.Create("nodes", null, Node("control-plane", "8Gi", spec: new JsonObject
        {
            ["taints"] = new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" }),
        }));
        var account = await portal.Services.GetRequiredService<PlatformSetup>()
            .EnsureAccountAsync(Tenant.PlatformSlug, "StreamSpace platform", "op@platform.test", MemberRole.PlatformAdmin, null, CancellationToken.None);
        var operatorClient = portal.ClientFor(Tenant.PlatformSlug).FromClientAddress();
        await operatorClient.SignInAsync(account.Email, account.Password);

        var html = await operatorClient.GetStringAsync("/platform");

        Assert.Contains($"of {Quantity.FormatReadable((16L << 30) + (32817072L << 10))}", html, StringComparison.Ordinal);
        Assert.Contains("allocatable memory of 2 schedulable of 4 cluster nodes", html, StringComparison.Ordinal);
    }

    private static JsonObject Node(string name, string memory, JsonObject? spec = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec ?? [],
        ["status"] = new JsonObject { ["allocatable"] = new JsonObject { ["memory"] = memory, ["cpu"] = "4" } },
    };
}
