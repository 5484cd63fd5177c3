namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>Code tried to write a row of another tenant (or of no tenant). Always a bug, never user input.</summary>
public sealed class CrossTenantWriteException(string message) : InvalidOperationException(message);
