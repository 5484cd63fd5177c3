namespace StreamSpace.Web.Api;

/// <summary>A tier's quota and DLP rules; quantities and durations in Kubernetes units (<c>4Gi</c>, <c>2000m</c>, <c>2h</c>).</summary>
public sealed record ApiTier(
    string Name, string Memory, string Cpu, int MaxSessions, string Storage, string MaxSessionDuration, string IdleTimeout,
    bool ClipboardIn, bool ClipboardOut, bool FileTransfer, bool Watermark);
