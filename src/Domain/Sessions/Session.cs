using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Sessions;

/// <summary>One running (or sleeping) application of one member. Only the methods here change its state.</summary>
public sealed class Session : ITenantOwned
{
    private Session()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid MemberId { get; private set; }

    public Guid TemplateId { get; private set; }

    public string Name { get; private set; }

    /// <summary>The runtime that runs this session, chosen at launch from its template and this installation.</summary>
    public SessionRuntimeKind Runtime { get; private set; }

    public long MemoryBytes { get; private set; }

    public int CpuMillicores { get; private set; }

    public SessionState State { get; private set; }

    /// <summary>What the session is doing right now, in words ("Starting display…").</summary>
    public string? Progress { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>Why it was last hibernated (<c>idle 30m</c>, <c>max duration 8h</c>, <c>quota</c>, <c>admin</c>).</summary>
    public string? HibernateReason { get; private set; }

    /// <summary>Where the runtime serves it (a unix socket path, a Service address); null when not running.</summary>
    public string? Endpoint { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? LastInputAt { get; private set; }

    public DateTimeOffset? LastConnectionAt { get; private set; }

    public DateTimeOffset? HibernatedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Hard end of the current running period (max session duration). Input never moves it.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    /// <summary>The member asked not to idle-hibernate this session (a long build, a render); the deadline still applies.</summary>
    public bool KeepAwake { get; private set; }

    /// <summary>When the state last changed; drift repair uses it to find sessions stuck in a transitional state.</summary>
    public DateTimeOffset StateChangedAt { get; private set; }

    /// <summary>
    /// When drift repair re-ran this state's job (once per state); if the session is still in this state a stuck period
    /// later, it gives up and fails the session. Counted from the re-run, not from the state change: the re-run job needs
    /// its own time (an image pull, a restarted Workers' first poll) before it can be judged stuck.
    /// </summary>
    public DateTimeOffset? RecoveryAttemptedAt { get; private set; }

    /// <summary>Drift repair already re-ran this state's job.</summary>
    public bool RecoveryAttempted => RecoveryAttemptedAt is not null;

    /// <summary>
    /// Optimistic concurrency token, bumped by every state change and progress step. Not <c>xmin</c>: the gateway's batched
    /// activity UPDATE must not make a job's state change fail.
    /// </summary>
    public int Version { get; private set; }

    public static Session Create(
        Guid memberId, Guid templateId, string name, long memoryBytes, int cpuMillicores, DateTimeOffset now,
        SessionRuntimeKind runtime = SessionRuntimeKind.Sandbox)
    {
        if (memoryBytes <= 0 || cpuMillicores <= 0)
        {
            throw new DomainException("A session needs memory and CPU.");
        }

        return new Session
        {
            Id = Guid.CreateVersion7(now),
            MemberId = memberId,
            TemplateId = templateId,
            Name = name,
            Runtime = runtime,
            MemoryBytes = memoryBytes,
            CpuMillicores = cpuMillicores,
            State = SessionState.Pending,
            CreatedAt = now,
            StateChangedAt = now,
        };
    }

    public void Start(string progress, DateTimeOffset now)
    {
        Move(SessionTransition.Start, now);
        FailureReason = null;
        Progress = progress;
    }

    public void ReportProgress(string progress)
    {
        if (State is not (SessionState.Starting or SessionState.Resuming))
        {
            throw new DomainException($"Progress is only reported while starting or resuming, not while {State.ToString().ToLowerInvariant()}.");
        }

        Progress = progress;
        Version++;
    }

    public void MarkRunning(string endpoint, DateTimeOffset now, TimeSpan maxDuration)
    {
        Move(SessionTransition.MarkRunning, now);
        Endpoint = endpoint;
        FailureReason = null;
        Progress = "Ready";
        StartedAt = now;
        Deadline = now + maxDuration;
    }

    public void BeginHibernate(string reason, DateTimeOffset now)
    {
        Move(SessionTransition.BeginHibernate, now);
        HibernateReason = reason;
        Progress = "Saving and stopping…";
    }

    public void MarkHibernated(DateTimeOffset now)
    {
        Move(SessionTransition.MarkHibernated, now);
        Endpoint = null;
        Deadline = null;
        Progress = null;
        HibernatedAt = now;
        KeepAwake = false;
    }

    public void BeginResume(string progress, DateTimeOffset now)
    {
        Move(SessionTransition.BeginResume, now);
        Progress = progress;
    }

    public void BeginTerminate(DateTimeOffset now)
    {
        Move(SessionTransition.BeginTerminate, now);
        Progress = "Stopping…";
    }

    public void MarkTerminated(DateTimeOffset now)
    {
        Move(SessionTransition.MarkTerminated, now);
        Endpoint = null;
        Deadline = null;
        Progress = null;
        EndedAt = now;
        KeepAwake = false;
    }

    public void Fail(string reason, DateTimeOffset now)
    {
        Move(SessionTransition.Fail, now);
        FailureReason = reason;
        Endpoint = null;
        Deadline = null;
        Progress = null;
        EndedAt = now;
        KeepAwake = false;
    }

    /// <summary>A lowered max session duration applies to the running period too: its deadline moves no later than <paramref name="latest"/>.</summary>
    public bool LimitDeadline(DateTimeOffset latest)
    {
        if (State != SessionState.Running || Deadline is not { } deadline || deadline <= latest)
        {
            return false;
        }

        Deadline = latest;
        Version++;
        return true;
    }

    public void RecordInput(DateTimeOffset at)
    {
        if (LastInputAt is null || at > LastInputAt)
        {
            LastInputAt = at;
        }
    }

    public void RecordConnection(DateTimeOffset at)
    {
        if (LastConnectionAt is null || at > LastConnectionAt)
        {
            LastConnectionAt = at;
        }
    }

    /// <summary>Turns keep-awake on or off; only a live session can be kept awake.</summary>
    public void SetKeepAwake(bool keepAwake)
    {
        if (keepAwake && State is not (SessionState.Running or SessionState.Starting or SessionState.Resuming or SessionState.Pending))
        {
            throw new DomainException($"Only a running session can be kept awake, not a {State.ToString().ToLowerInvariant()} one.");
        }

        KeepAwake = keepAwake;
        Version++;
    }

    /// <summary>Drift repair is about to re-run this state's job; remembered so it happens once per state.</summary>
    public void MarkRecoveryAttempted(DateTimeOffset now)
    {
        RecoveryAttemptedAt = now;
        Version++;
    }

    /// <summary>Since when nobody typed or pointed in this running period (no input at all counts from its start).</summary>
    public DateTimeOffset? IdleSince =>
        State != SessionState.Running || StartedAt is null ? null
        : LastInputAt is { } input && input > StartedAt ? input : StartedAt;

    private void Move(SessionTransition transition, DateTimeOffset now)
    {
        if (!SessionStateMachine.TryNext(State, transition, out var next))
        {
            throw new SessionStateException(State, transition);
        }

        State = next;
        StateChangedAt = now;
        RecoveryAttemptedAt = null;
        Version++;
    }
}
