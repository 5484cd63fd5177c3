namespace StreamSpace.Domain.Quotas;

/// <summary>Which limit a launch or resume would break, and by how much, in words fit for the member.</summary>
public sealed record QuotaRefusal(string Limit, string Message);
