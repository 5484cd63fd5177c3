using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Server;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>Times every background job run on this Hangfire server and counts the runs that threw, labelled <c>Type.Method</c>.</summary>
public sealed class JobMetricsFilter(StreamSpaceMetrics metrics) : IServerFilter
{
    private const string StartedKey = "streamspace.started";

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
        {
            metrics.JobRan(JobName(context.BackgroundJob.Job), Stopwatch.GetElapsedTime(timestamp), failed: context.Exception is not null && !context.ExceptionHandled);
        }
    }

    /// <summary>Hangfire's own filters plus this one, for <c>BackgroundJobServerOptions.FilterProvider</c> (one server, one registry).</summary>
    public IJobFilterProvider WithGlobalFilters() =>
        new JobFilterProviderCollection(JobFilterProviders.Providers, new JobFilterCollection { this });

    /// <summary><c>SessionJobs.Provision</c>: enqueued through <c>ISessionJobs</c>, named after what implements it.</summary>
    private static string JobName(Job? job) => job is null
        ? "unknown"
        : $"{(job.Type.IsInterface ? job.Type.Name[1..] : job.Type.Name)}.{job.Method.Name.Replace("Async", string.Empty, StringComparison.Ordinal)}";
}
