namespace StreamSpace.Infrastructure.Features.ApiClients;

/// <summary>No API client with this id in the current tenant.</summary>
public sealed class ApiClientNotFoundException(Guid id) : Exception($"API client {id} was not found.");
