namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>One line of <c>/proc/&lt;pid&gt;/stat</c>, the fields the runtime needs.</summary>
internal sealed record ProcessEntry(int Pid, int ParentPid, char State, ulong StartTime)
{
    /// <summary>A zombie has exited; only its parent's wait is missing.</summary>
    public bool IsLive => State is not 'Z' and not 'X';
}
