namespace StreamSpace.Web.Pages;

/// <summary>The line under a form field: an error when there is one, otherwise a warning (the value is allowed but surprising), otherwise a hint.</summary>
public sealed record FieldMessage(string Id, string? Error, string? Hint = null, string? Warning = null);
