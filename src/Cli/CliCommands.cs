using System.CommandLine;
using System.Text.Json;

namespace StreamSpace.Cli;

/// <summary>The <c>streamspace</c> commands: login (device flow), templates, sessions list|launch|hibernate|resume|terminate|open.</summary>
internal static class CliCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static RootCommand Build(string credentialsPath, HttpClient? http = null)
    {
        http ??= new HttpClient();
        var api = new ApiConnection(http, credentialsPath);
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table", Recursive = true };
        var root = new RootCommand("StreamSpace from the command line: sign in, browse the catalog, launch and control sessions.") { json };

        var url = new Option<string>("--url") { Description = "The portal's address, e.g. http://acme.localhost:8080", Required = true };
        var login = new Command("login", "Sign in with the device flow: approve the printed code in the portal.") { url };
        login.SetAction((parse, cancellationToken) => RunAsync(parse, () => LoginAsync(parse, api, parse.GetValue(url)!, credentialsPath, cancellationToken)));
        root.Add(login);

        var search = new Option<string?>("--search") { Description = "Only templates matching this text" };
        var templates = new Command("templates", "List the catalog.") { search };
        templates.SetAction((parse, cancellationToken) => RunAsync(parse, async () =>
        {
            var query = parse.GetValue(search) is { Length: > 0 } q ? "?q=" + Uri.EscapeDataString(q) : string.Empty;
            Print(parse, await api.SendAsync(HttpMethod.Get, "/api/v1/templates" + query, null, cancellationToken), parse.GetValue(json), "name", "displayName", "category", "memory", "cpu");
        }));
        root.Add(templates);

        var sessions = new Command("sessions", "Your sessions.");
        var list = new Command("list", "List your sessions.");
        list.SetAction((parse, cancellationToken) => RunAsync(parse, async () =>
            Print(parse, await api.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, cancellationToken), parse.GetValue(json), "id", "name", "template", "state")));
        sessions.Add(list);

        var template = new Argument<string>("template") { Description = "The template's name, as `streamspace templates` lists it" };
        var launch = new Command("launch", "Launch a template.") { template };
        launch.SetAction((parse, cancellationToken) => RunAsync(parse, async () =>
            Print(parse, await api.SendAsync(HttpMethod.Post, "/api/v1/sessions", new { template = parse.GetValue(template) }, cancellationToken), parse.GetValue(json), "id", "name", "template", "state")));
        sessions.Add(launch);

        foreach (var (name, description) in new[] { ("hibernate", "Hibernate a session."), ("resume", "Resume a hibernated session."), ("terminate", "Terminate a session.") })
        {
            var id = new Argument<Guid>("id") { Description = "The session's id" };
            var action = new Command(name, description) { id };
            action.SetAction((parse, cancellationToken) => RunAsync(parse, async () =>
                Print(parse, await api.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{parse.GetValue(id)}/{name}", null, cancellationToken), parse.GetValue(json), "id", "name", "template", "state")));
            sessions.Add(action);
        }

        var openId = new Argument<Guid>("id") { Description = "The session's id" };
        var open = new Command("open", "Print the address of the session's viewer in the portal.") { openId };
        open.SetAction((parse, cancellationToken) => RunAsync(parse, async () =>
        {
            var session = await api.SendAsync(HttpMethod.Get, $"/api/v1/sessions/{parse.GetValue(openId)}", null, cancellationToken);
            var credentials = Credentials.Load(credentialsPath)!;
            await parse.InvocationConfiguration.Output.WriteLineAsync(new Uri(new Uri(credentials.Url), session.GetProperty("viewerPath").GetString()).ToString());
        }));
        sessions.Add(open);
        root.Add(sessions);
        return root;
    }

    private static async Task LoginAsync(ParseResult parse, ApiConnection api, string url, string credentialsPath, CancellationToken cancellationToken)
    {
        var portal = new Uri(url.TrimEnd('/') + "/");
        var device = await api.PostFormAsync(new Uri(portal, "connect/device").ToString(), new Dictionary<string, string>
        {
            ["client_id"] = ApiConnection.ClientId, ["scope"] = "sessions templates offline_access",
        }, cancellationToken);
        if (!device.TryGetProperty("user_code", out var userCode))
        {
            throw new CliException($"The portal refused the sign-in: {device}");
        }

        var code = userCode.GetString()!;
        await parse.InvocationConfiguration.Output.WriteLineAsync($"Open {new Uri(portal, "device?user_code=" + Uri.EscapeDataString(code))} and approve the code {code}.");
        var interval = TimeSpan.FromSeconds(device.TryGetProperty("interval", out var seconds) ? seconds.GetInt32() : 5);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(device.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 300);
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(interval, cancellationToken);
            var token = await api.PostFormAsync(new Uri(portal, "connect/token").ToString(), new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["client_id"] = ApiConnection.ClientId, ["device_code"] = device.GetProperty("device_code").GetString()!,
            }, cancellationToken);
            if (token.TryGetProperty("access_token", out var access))
            {
                new Credentials(portal.ToString(), access.GetString()!, token.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null).Save(credentialsPath);
                await parse.InvocationConfiguration.Output.WriteLineAsync("Signed in.");
                return;
            }

            var error = token.TryGetProperty("error", out var e) ? e.GetString() : null;
            if (error == "slow_down")
            {
                interval += TimeSpan.FromSeconds(5);
            }
            else if (error != "authorization_pending")
            {
                var why = token.TryGetProperty("error_description", out var d) ? $" {d.GetString()}" : string.Empty;
                throw new CliException($"The sign-in failed: {error}.{why}");
            }
        }

        throw new CliException("The code expired before it was approved; run `streamspace login` again.");
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (CliException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>JSON as the API returned it, or a table of the given columns.</summary>
    private static void Print(ParseResult parse, JsonElement value, bool asJson, params string[] columns)
    {
        var output = parse.InvocationConfiguration.Output;
        if (asJson)
        {
            output.WriteLine(JsonSerializer.Serialize(value, Indented));
            return;
        }

        var rows = (value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value])
            .Select(row => columns.Select(c => row.TryGetProperty(c, out var cell) ? cell.ToString() : string.Empty).ToArray())
            .ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", columns.Select((c, i) => c.ToUpperInvariant().PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
