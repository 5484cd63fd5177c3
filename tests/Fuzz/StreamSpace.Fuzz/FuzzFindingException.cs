namespace StreamSpace.Fuzz;

/// <summary>A parser broke a promise other than "does not crash"; thrown so that AFL++ saves the input as a crash.</summary>
internal sealed class FuzzFindingException(string message) : Exception(message);
