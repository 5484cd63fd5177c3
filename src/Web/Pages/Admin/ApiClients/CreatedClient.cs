namespace StreamSpace.Web.Pages.Admin.ApiClients;

/// <summary>The credentials of a client just created; the secret is not stored in a readable form anywhere.</summary>
public sealed record CreatedClient(string ClientId, string Secret);
