namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>A test that needs a real cluster: it runs when KUBECONFIG names one, and says how to run it otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealClusterFactAttribute : FactAttribute
{
    public RealClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG")))
        {
            Skip = "Needs a real Kubernetes cluster: set KUBECONFIG to a kubeconfig whose user may create namespaces (the test creates and deletes ss-it-*), and pull nginxinc/nginx-unprivileged.";
        }
    }
}
