using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes.Local;

public static class LocalRuntimeExtensions
{
    /// <summary>Sessions as bubblewrap sandboxes on this machine; the process must run as root.</summary>
    public static IServiceCollection AddLocalSessionRuntime(this IServiceCollection services)
    {
        services.AddOptions<LocalRuntimeOptions>().BindConfiguration(LocalRuntimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ISessionRuntime, LocalSessionRuntime>();
        services.TryAddSingleton<IRuntimeCapacity, LocalRuntimeCapacity>();
        return services;
    }
}
