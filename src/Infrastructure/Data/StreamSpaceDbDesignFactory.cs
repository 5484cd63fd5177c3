using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running host or database.</summary>
internal sealed class StreamSpaceDbDesignFactory : IDesignTimeDbContextFactory<StreamSpaceDb>
{
    public StreamSpaceDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<StreamSpaceDb>();
        StreamSpaceDbOptions.Configure(options, "Host=localhost;Database=streamspace");
        return new StreamSpaceDb(options.Options, new TenantContext());
    }
}
