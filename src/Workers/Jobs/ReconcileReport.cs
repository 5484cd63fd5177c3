namespace StreamSpace.Workers.Jobs;

/// <summary>What one reconcile pass did; returned so tests and the job history can see it.</summary>
public sealed class ReconcileReport
{
    public int OrphansStopped { get; set; }

    public int Lost { get; set; }

    public int Retried { get; set; }

    public int GaveUp { get; set; }
}
