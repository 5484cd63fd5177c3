namespace StreamSpace.Infrastructure.Identity;

/// <summary>A token signing or encryption key generated for installations that configure none; the PEM is protected with Data Protection.</summary>
public sealed class IdentityKey
{
    public string Name { get; init; } = string.Empty;

    public string ProtectedPem { get; init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; init; }
}
