namespace StreamSpace.Cli;

/// <summary>A failure the user can act on; printed as one line, exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);
