namespace StreamSpace.Web.Pages.Admin;

public sealed record TierSummary(string Name, string Memory, int MaxSessions, string MaxSessionDuration, string IdleTimeout);
