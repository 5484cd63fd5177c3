using StreamSpace.Cli;

return await CliCommands.Build(Credentials.DefaultPath()).Parse(args).InvokeAsync();
