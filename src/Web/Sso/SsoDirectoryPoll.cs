using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Features.Sso;

namespace StreamSpace.Web.Sso;

/// <summary>
/// Loads the providers before the first request, then re-reads them every few seconds: a change saved on another Web replica
/// reaches this one within <see cref="SsoOptions.PollInterval"/>. A change saved here is seen at once.
/// </summary>
public sealed class SsoDirectoryPoll(SsoDirectory directory, IOptions<SsoOptions> options, ILogger<SsoDirectoryPoll> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await directory.ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await directory.ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reloading the identity providers failed; keeping the ones loaded before");
            }
        }
    }
}
