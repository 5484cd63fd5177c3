using k8s;
using k8s.Models;
using StreamSpace.Tests.Integration.Deployment;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>The chart hands Web the proxies it may believe and the public URL, so behind the ingress clients stay apart and cookies are Secure.</summary>
public sealed class ProxyHelmChartTests
{
    [Fact]
    public async Task The_ingress_networks_and_proxies_and_the_https_public_url_reach_Web()
    {
        var env = await WebEnvironmentAsync(HelmChart.Example("production-values.yaml"));

        Assert.Equal("10.42.0.0/16", env["ForwardedHeaders__KnownNetworks__0"]);
        Assert.Equal("192.0.2.50", env["ForwardedHeaders__KnownProxies__0"]);
        Assert.Equal("https://streamspace.example.com/", env["ForwardedHeaders__PublicUrl"]);
    }

    [Fact]
    public async Task Without_TLS_the_public_url_is_http_with_the_portal_port_and_no_proxy_is_named()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ss-values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "ingress:\n  tls:\n    enabled: false\nruntime:\n  kubernetes:\n    portalPort: 8080\n");
        try
        {
            var env = await WebEnvironmentAsync(HelmChart.Example("minimal-values.yaml"), file);

            Assert.Equal("http://streamspace.example.com:8080/", env["ForwardedHeaders__PublicUrl"]);
            Assert.DoesNotContain(env.Keys, name => name.StartsWith("ForwardedHeaders__Known", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Dictionary<string, string>> WebEnvironmentAsync(params string[] valueFiles)
    {
        var (succeeded, documents, error) = await HelmChart.RenderAsync(valueFiles);
        Assert.True(succeeded, error);
        var web = documents.Where(d => d.Contains("kind: Deployment", StringComparison.Ordinal))
            .Select(d => KubernetesYaml.Deserialize<V1Deployment>(d, strict: true))
            .Single(d => d.Metadata.Name == "streamspace-web");
        return web.Spec.Template.Spec.Containers.Single().Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
    }
}
