using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace StreamSpace.Cli;

/// <summary>Calls the REST API with the saved token, refreshing it once when the server says it expired.</summary>
internal sealed class ApiConnection(HttpClient http, string credentialsPath)
{
    public const string ClientId = "streamspace-cli";

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var credentials = Credentials.Load(credentialsPath) ?? throw new CliException("Not signed in: run `streamspace login --url <portal>` first.");
        var response = await SendOnceAsync(credentials, method, path, body, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && credentials.RefreshToken is { } refresh)
        {
            response.Dispose();
            credentials = await RefreshAsync(credentials, refresh, cancellationToken);
            response = await SendOnceAsync(credentials, method, path, body, cancellationToken);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            if (!response.IsSuccessStatusCode)
            {
                var detail = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("detail", out var d) ? d.GetString() : response.ReasonPhrase;
                throw new CliException($"{(int)response.StatusCode}: {detail}");
            }

            return json;
        }
    }

    public async Task<JsonElement> PostFormAsync(string url, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(url, new FormUrlEncodedContent(form), cancellationToken);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
        return json;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Credentials credentials, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(credentials.Url), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AccessToken);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    private async Task<Credentials> RefreshAsync(Credentials credentials, string refreshToken, CancellationToken cancellationToken)
    {
        var json = await PostFormAsync(new Uri(new Uri(credentials.Url), "/connect/token").ToString(), new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = refreshToken,
        }, cancellationToken);
        if (!json.TryGetProperty("access_token", out var access))
        {
            var why = json.TryGetProperty("error_description", out var d) ? $" ({d.GetString()})" : string.Empty;
            throw new CliException($"The session expired{why}: run `streamspace login` again.");
        }

        var renewed = credentials with
        {
            AccessToken = access.GetString()!,
            RefreshToken = json.TryGetProperty("refresh_token", out var r) ? r.GetString() : refreshToken,
        };
        renewed.Save(credentialsPath);
        return renewed;
    }
}
