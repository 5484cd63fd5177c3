namespace StreamSpace.Domain.Common;

/// <summary>A row that belongs to exactly one tenant; the database filters and stamps it.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
