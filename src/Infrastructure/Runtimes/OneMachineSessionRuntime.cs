using System.Runtime.Versioning;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Runtimes.Containers;
using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Infrastructure.Runtimes;

/// <summary>
/// One machine runs host apps in sandboxes and images in containers side by side: each call goes to the runtime recorded on
/// the session, and drift repair sees both. An engine that is configured but not answering fails the observation as a whole,
/// so drift repair never mistakes an unreachable engine for containers that died.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class OneMachineSessionRuntime(LocalSessionRuntime sandboxes, ContainerSessionRuntime containers) : ISessionRuntime
{
    public Task<SessionEndpoint> EnsureStartedAsync(SessionSpec spec, IProgress<string> progress, CancellationToken cancellationToken) =>
        For((spec ?? throw new ArgumentNullException(nameof(spec))).Runtime).EnsureStartedAsync(spec, progress, cancellationToken);

    public Task HibernateAsync(SessionAddress session, CancellationToken cancellationToken) =>
        For((session ?? throw new ArgumentNullException(nameof(session))).Runtime).HibernateAsync(session, cancellationToken);

    public Task TerminateAsync(SessionAddress session, CancellationToken cancellationToken) =>
        For((session ?? throw new ArgumentNullException(nameof(session))).Runtime).TerminateAsync(session, cancellationToken);

    public async Task<IReadOnlyList<ObservedSession>> ObserveAsync(CancellationToken cancellationToken) =>
        [.. await sandboxes.ObserveAsync(cancellationToken), .. await containers.ObserveAsync(cancellationToken)];

    public Task<string?> ReadVncPasswordAsync(SessionAddress session, CancellationToken cancellationToken) =>
        For((session ?? throw new ArgumentNullException(nameof(session))).Runtime).ReadVncPasswordAsync(session, cancellationToken);

    private ISessionRuntime For(SessionRuntimeKind runtime) => runtime switch
    {
        SessionRuntimeKind.Sandbox => sandboxes,
        SessionRuntimeKind.Container => containers,
        _ => throw new InvalidOperationException($"A {runtime} session cannot run on this machine's runtimes; this installation runs sandboxes and containers."),
    };
}
