using StreamSpace.Infrastructure;
using StreamSpace.Workers;

var builder = Host.CreateApplicationBuilder(args);
builder.AddInfrastructure();
builder.AddWorkers();

var host = builder.Build();
await host.RunAsync();
