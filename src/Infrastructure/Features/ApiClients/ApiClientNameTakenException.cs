using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Features.ApiClients;

/// <summary>The tenant already has a client of this name (compared without case); two would be told apart only by their ids.</summary>
public sealed class ApiClientNameTakenException(string name)
    : DomainException($"There is already a client named \"{name}\". Choose another name.");
