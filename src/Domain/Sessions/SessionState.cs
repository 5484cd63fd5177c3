namespace StreamSpace.Domain.Sessions;

public enum SessionState
{
    Pending,
    Starting,
    Running,
    Hibernating,
    Hibernated,
    Resuming,
    Terminating,
    Terminated,
    Failed,
}
