using StreamSpace.Domain.Templates;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>A template read from a document, with the line of its <c>metadata.name</c> for problems found later (a taken name).</summary>
public sealed record ParsedTemplate(TemplateDefinition Definition, int NameLine);
