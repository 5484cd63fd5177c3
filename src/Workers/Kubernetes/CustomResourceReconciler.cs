using System.Text.Json;
using k8s;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// While this Workers replica leads, watches Session, Template and User resources in every namespace and imports them;
/// each event is handled in its own scope, one at a time per kind.
/// </summary>
public sealed class CustomResourceReconciler(
    IKubernetes client,
    ReconcileLeadership leadership,
    IServiceScopeFactory scopes,
    ILogger<CustomResourceReconciler> logger) : BackgroundService
{
    private readonly Dictionary<string, CustomResourceWatch> _watches = new()
    {
        [SessionResource.Plural] = new CustomResourceWatch(client, SessionResource.Plural, logger),
        [TemplateResourceImport.Plural] = new CustomResourceWatch(client, TemplateResourceImport.Plural, logger),
        [UserResourceImport.Plural] = new CustomResourceWatch(client, UserResourceImport.Plural, logger),
    };

    public IReadOnlyDictionary<string, CustomResourceWatch> Watches => _watches;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunAsync(token => Task.WhenAll(_watches.Select(pair => pair.Value.RunAsync((type, value, ct) => HandleAsync(pair.Key, type, value, ct), token))), stoppingToken);

    private async Task HandleAsync(string plural, WatchEventType type, JsonElement value, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        try
        {
            await (plural switch
            {
                SessionResource.Plural => services.GetRequiredService<SessionResourceImport>().HandleAsync(type, value, cancellationToken),
                TemplateResourceImport.Plural => services.GetRequiredService<TemplateResourceImport>().HandleAsync(type, value, cancellationToken),
                _ => services.GetRequiredService<UserResourceImport>().HandleAsync(type, value, cancellationToken),
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One bad resource must not stop the watch; the next list or change retries it.
            logger.LogWarning(e, "Importing a {Plural} resource failed", plural);
        }
    }
}
