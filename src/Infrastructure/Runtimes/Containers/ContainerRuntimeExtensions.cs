using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StreamSpace.Infrastructure.Runtimes.Containers;

public static class ContainerRuntimeExtensions
{
    /// <summary>The Docker Engine API this installation may use (<c>Runtime:Containers</c>); registering it connects to nothing.</summary>
    public static IServiceCollection AddContainerEngine(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ContainerEngine)))
        {
            return services;
        }

        services.AddOptions<ContainerRuntimeOptions>().BindConfiguration(ContainerRuntimeOptions.Section).ValidateDataAnnotations()
            .Validate(
                o => o.PublishPortFirst <= o.PublishPortLast,
                $"{ContainerRuntimeOptions.Section}:{nameof(ContainerRuntimeOptions.PublishPortFirst)} must not be above {nameof(ContainerRuntimeOptions.PublishPortLast)}.")
            .ValidateOnStart();
        services.TryAddSingleton<ContainerEngine>();
        return services;
    }
}
