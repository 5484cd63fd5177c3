using Prometheus;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>
/// The product's Prometheus instruments, in one registry per host (Web and Workers share a process in the tests). Labels are
/// tenants, templates, reasons and limits — never a session id. Session counts are not here: <see cref="SessionCensus"/>
/// reads them from the database at scrape time, so every replica reports the same numbers.
/// </summary>
public sealed class StreamSpaceMetrics
{
    private static readonly double[] StartBuckets = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120];
    private static readonly double[] JobBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Counter _sessionStarts;
    private readonly Counter _hibernationEvents;
    private readonly Histogram _startDuration;
    private readonly Histogram _resumeDuration;
    private readonly Counter _provisioningFailures;
    private readonly Gauge _gatewayOpen;
    private readonly Counter _gatewayConnections;
    private readonly Counter.Child _bytesToViewer;
    private readonly Counter.Child _bytesToSession;
    private readonly Counter _quotaRefusals;
    private readonly Histogram _jobDuration;
    private readonly Counter _jobFailures;
    private readonly Counter _signIns;
    private readonly Histogram _runDuration;

    public StreamSpaceMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        _sessionStarts = factory.CreateCounter(
            "streamspace_session_starts_total", "Sessions that reached Running for the first time.", ["tenant"]);
        _hibernationEvents = factory.CreateCounter(
            "streamspace_hibernation_events_total", "Sessions that finished hibernating, by why (idle, max-duration, quota, user, admin).", ["tenant", "reason"]);
        _startDuration = factory.CreateHistogram(
            "streamspace_session_start_duration_seconds", "From launch to Running.", ["template"], new HistogramConfiguration { Buckets = StartBuckets });
        _resumeDuration = factory.CreateHistogram(
            "streamspace_session_resume_duration_seconds", "From Resume to Running.", ["template"], new HistogramConfiguration { Buckets = StartBuckets });
        _provisioningFailures = factory.CreateCounter(
            "streamspace_provisioning_failures_total", "Starts and resumes that ended in Failed, by kind of failure.", ["reason"]);
        _gatewayOpen = factory.CreateGauge("streamspace_gateway_connections", "Viewer streams open through this gateway now.");
        _gatewayConnections = factory.CreateCounter("streamspace_gateway_connections_total", "Viewer streams relayed by this gateway.");
        var bytes = factory.CreateCounter("streamspace_gateway_bytes_total", "Bytes relayed by the stream gateway.", ["direction"]);
        _bytesToViewer = bytes.WithLabels("to_viewer");
        _bytesToSession = bytes.WithLabels("to_session");
        _quotaRefusals = factory.CreateCounter(
            "streamspace_quota_refusals_total", "Launches and resumes refused by a quota, by the limit that refused them.", ["tenant", "limit"]);
        _jobDuration = factory.CreateHistogram(
            "streamspace_job_duration_seconds", "Background job run time ('job' is Prometheus' own label).", ["job_name"], new HistogramConfiguration { Buckets = JobBuckets });
        _jobFailures = factory.CreateCounter("streamspace_job_failures_total", "Background job runs that threw.", ["job_name"]);
        _signIns = factory.CreateCounter(
            "streamspace_logins_total", "Sign-ins, by method (password, sso) and outcome (succeeded, failed, locked_out).", ["tenant", "method", "result"]);
        _runDuration = factory.CreateHistogram(
            "streamspace_session_run_duration_seconds", "How long a session ran, from Running to hibernated or terminated.", ["tenant"],
            new HistogramConfiguration { Buckets = [60, 300, 900, 1800, 3600, 7200, 14400, 28800, 57600] });
        Factory = factory;
    }

    /// <summary>What <c>/metrics</c> of this host exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>For the census and the HTTP middleware, which add their own series to the same registry.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>
    /// Call as a starting or resuming session becomes Running: a start counts and is timed from the launch, a resume is
    /// timed from the member's Resume.
    /// </summary>
    public void SessionRunning(Session session, string tenant, string template, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.State == SessionState.Resuming)
        {
            _resumeDuration.WithLabels(template).Observe((now - session.StateChangedAt).TotalSeconds);
            return;
        }

        _sessionStarts.WithLabels(tenant).Inc();
        _startDuration.WithLabels(template).Observe((now - session.CreatedAt).TotalSeconds);
    }

    /// <summary>Call before a session leaves its running period (hibernated or terminated); a period already ended is not counted twice.</summary>
    public void SessionRunEnded(Session session, string tenant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.StartedAt is { } started && !(session.HibernatedAt >= started) && !(session.EndedAt >= started))
        {
            _runDuration.WithLabels(tenant).Observe((now - started).TotalSeconds);
        }
    }

    public void PasswordSignInAttempted(string tenant, bool succeeded, bool lockedOut) =>
        _signIns.WithLabels(tenant, "password", succeeded ? "succeeded" : lockedOut ? "locked_out" : "failed").Inc();

    /// <summary>Call when a member comes back from the tenant's identity provider: signed in, or refused at the callback.</summary>
    public void SsoSignInAttempted(string tenant, bool succeeded) =>
        _signIns.WithLabels(tenant, "sso", succeeded ? "succeeded" : "failed").Inc();

    public void SessionHibernated(string tenant, string? reason) => _hibernationEvents.WithLabels(tenant, HibernationReason(reason)).Inc();

    public void ProvisioningFailed(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        _provisioningFailures.WithLabels(FailureReason(failure)).Inc();
    }

    /// <summary>Counts a viewer stream; dispose the result when it closes.</summary>
    public IDisposable GatewayConnected()
    {
        _gatewayConnections.Inc();
        return _gatewayOpen.TrackInProgress();
    }

    public void RelayedToViewer(int bytes) => _bytesToViewer.Inc(bytes);

    public void RelayedToSession(int bytes) => _bytesToSession.Inc(bytes);

    public void QuotaChecked(string tenant, QuotaRefusal? refusal)
    {
        if (refusal is not null)
        {
            _quotaRefusals.WithLabels(tenant, refusal.Limit).Inc();
        }
    }

    public void JobRan(string job, TimeSpan duration, bool failed)
    {
        _jobDuration.WithLabels(job).Observe(duration.TotalSeconds);
        if (failed)
        {
            _jobFailures.WithLabels(job).Inc();
        }
    }

    /// <summary>Reasons read <c>idle 30m</c> or <c>max duration 8h</c>; the label keeps the kind, not the number.</summary>
    public static string HibernationReason(string? reason) => reason switch
    {
        null or "" => "unknown",
        _ when reason.StartsWith("idle", StringComparison.Ordinal) => "idle",
        _ when reason.StartsWith("max duration", StringComparison.Ordinal) => "max-duration",
        "quota" or "user" or "admin" => reason,
        _ => "other",
    };

    /// <summary>The kind of failure (a handful of exception types), never its message, which may carry paths and ids.</summary>
    public static string FailureReason(Exception failure) => failure switch
    {
        TimeoutException => "timeout",
        OperationCanceledException => "timeout",
        _ => Snake(failure.GetType().Name.Replace("Exception", string.Empty, StringComparison.Ordinal)),
    };

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
