using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Runtimes.Containers;

namespace StreamSpace.Infrastructure.Runtimes.Local;

public static class LocalRuntimeExtensions
{
    /// <summary>
    /// Sessions on this machine: host apps as bubblewrap sandboxes, images as containers under Docker or Podman (when an
    /// engine is reachable). Starting sandboxes needs root.
    /// </summary>
    public static IServiceCollection AddLocalSessionRuntime(this IServiceCollection services)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Sessions on this machine need Linux (bubblewrap, Docker or Podman); elsewhere set Runtime:Kind=Kubernetes.");
        }

        services.AddOptions<LocalRuntimeOptions>().BindConfiguration(LocalRuntimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddContainerEngine();
        services.AddSingleton<LocalSessionRuntime>();
        services.AddSingleton<ContainerSessionRuntime>();
        services.AddSingleton<ISessionRuntime, OneMachineSessionRuntime>();
        services.TryAddSingleton<IRuntimeCapacity, LocalRuntimeCapacity>();
        services.TryAddSingleton<IHomeSpaces, LocalHomeSpaces>();
        return services;
    }
}
