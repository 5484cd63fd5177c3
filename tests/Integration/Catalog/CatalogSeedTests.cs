using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Platform;

namespace StreamSpace.Tests.Integration.Catalog;

public sealed class CatalogSeedTests(CatalogPortal portal) : IClassFixture<CatalogPortal>
{
    [Fact]
    public async Task Loading_the_catalog_again_changes_nothing()
    {
        var setup = portal.Services.GetRequiredService<PlatformSetup>();
        await setup.SeedTemplatesAsync(CancellationToken.None);

        var again = await setup.SeedTemplatesAsync(CancellationToken.None);

        Assert.Equal((0, 0, BuiltInTemplates.All.Count), (again.Added, again.Updated, again.Unchanged));
        await using var db = portal.Database.CreateContext();
        var names = await db.Templates.Select(t => t.Name).ToListAsync();
        Assert.Empty(BuiltInTemplates.All.Select(t => t.Name).Except(names));
    }

    [Fact]
    public async Task A_changed_template_is_updated_and_a_new_one_added_while_tenant_choices_and_templates_stay()
    {
        await using (var acme = portal.ContextOf(portal.Acme))
        {
            var gimp = await acme.Templates.SingleAsync(t => t.Name == "gimp");
            acme.DisabledTemplates.Add(DisabledTemplate.Create(gimp.Id, DateTimeOffset.UtcNow));
            acme.Templates.Add(Template.CreateForTenant(portal.Acme.Tenant!.Id, BuiltInTemplates.Named("gimp") with { Name = "acme-gimp", DisplayName = "Our GIMP" }));
            await acme.SaveChangesAsync();
        }

        var next = BuiltInTemplates.All
            .Select(t => t.Name == "gimp" ? t with { Description = "A newer description." } : t)
            .Append(BuiltInTemplates.Named("krita") with { Name = "krita-next", DisplayName = "Krita Next" })
            .Append(BuiltInTemplates.Named("krita") with { Name = "acme-gimp" })
            .ToList();
        CatalogSeedOutcome outcome;
        await using (var platform = portal.Database.CreateContext())
        {
            outcome = await new TemplateCatalogSeed(platform).ApplyAsync(next, new HashSet<string> { "acme-gimp" }, CancellationToken.None);
        }

        Assert.Equal((1, 1), (outcome.Added, outcome.Updated));
        Assert.Equal(["acme-gimp"], outcome.Skipped);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.Equal("A newer description.", (await db.Templates.SingleAsync(t => t.Name == "gimp")).Description);
        Assert.True(await db.Templates.AnyAsync(t => t.Name == "krita-next" && t.TenantId == null));
        Assert.Equal("Our GIMP", (await db.Templates.SingleAsync(t => t.Name == "acme-gimp")).DisplayName);
        var gimpId = await db.Templates.Where(t => t.Name == "gimp").Select(t => t.Id).SingleAsync();
        Assert.True(await db.DisabledTemplates.AnyAsync(d => d.TemplateId == gimpId));
    }
}
