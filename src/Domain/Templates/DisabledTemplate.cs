using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Templates;

/// <summary>A tenant's choice to hide a template from its catalog; enabling it again removes the row.</summary>
public sealed class DisabledTemplate : ITenantOwned
{
    private DisabledTemplate()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TemplateId { get; private set; }

    public DateTimeOffset DisabledAt { get; private set; }

    public static DisabledTemplate Create(Guid templateId, DateTimeOffset at) =>
        new() { Id = Guid.CreateVersion7(), TemplateId = templateId, DisabledAt = at };
}
