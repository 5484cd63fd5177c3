using StreamSpace.Infrastructure;
using StreamSpace.Web;
using StreamSpace.Web.Setup;

var builder = WebApplication.CreateBuilder(args);
builder.AddInfrastructure();
builder.AddWeb();

var app = builder.Build();
if (SetupCommand.IsRequested(args))
{
    return await SetupCommand.RunAsync(app, args);
}

app.UseWeb();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the integration tests.</summary>
public partial class Program;
