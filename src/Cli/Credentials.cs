using System.Text.Json;

namespace StreamSpace.Cli;

/// <summary>What <c>streamspace login</c> keeps: the server and the member's tokens, in a file only its owner can read.</summary>
internal sealed record Credentials(string Url, string AccessToken, string? RefreshToken)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string DefaultPath() =>
        Environment.GetEnvironmentVariable("STREAMSPACE_CREDENTIALS")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "streamspace", "credentials.json");

    public static Credentials? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<Credentials>(File.ReadAllText(path), Json) : null;

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }
}
