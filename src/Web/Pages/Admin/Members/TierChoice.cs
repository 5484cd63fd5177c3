namespace StreamSpace.Web.Pages.Admin.Members;

public sealed record TierChoice(Guid Id, string Name);
