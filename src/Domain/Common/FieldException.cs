namespace StreamSpace.Domain.Common;

/// <summary>A rule broken by one field's value: <see cref="Field"/> names it, so a form can show the message under that field.</summary>
public sealed class FieldException(string field, string message) : DomainException(message)
{
    public string Field { get; } = field;
}
