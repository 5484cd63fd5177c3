using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StreamSpace.Infrastructure.Streaming;

public static class StreamGatewayExtensions
{
    /// <summary>The RFB gateway, the in-memory input activity and its batched flush to PostgreSQL.</summary>
    public static IServiceCollection AddStreamGateway(this IServiceCollection services)
    {
        services.AddOptions<StreamGatewayOptions>()
            .BindConfiguration(StreamGatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InputActivity>();
        services.AddSingleton<AdminWatchers>();
        services.AddSingleton<OpenStreams>();
        services.AddSingleton<SessionGateway>();
        services.AddHostedService<InputActivityFlush>();
        return services;
    }
}
