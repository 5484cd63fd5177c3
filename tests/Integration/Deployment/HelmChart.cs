using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Deployment;

/// <summary>
/// Renders ops/helm/streamspace with ops/helm/render: Go's text/template (Helm's engine) with sprig and Helm's own
/// functions, built from Debian's golang-go, golang-github-masterminds-sprig-dev and golang-gopkg-yaml.v3-dev.
/// </summary>
public static class HelmChart
{
    private const string Go = "/usr/bin/go";

    public static string Directory => Path.Combine(Repository.Root, "ops", "helm", "streamspace");

    public static string Example(string name) => Path.Combine(Directory, "examples", name);

    /// <summary>The rendered manifests, one YAML document each, or the renderer's error.</summary>
    public static async Task<(bool Succeeded, IReadOnlyList<string> Documents, string Error)> RenderAsync(params string[] valueFiles)
    {
        var (exitCode, output, error) = await RunAsync(valueFiles, []);
        var documents = output.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.TrimStart('-', '\n'))
            .Where(d => !string.IsNullOrWhiteSpace(d))
            .ToList();
        return (exitCode == 0, documents, error);
    }

    /// <summary>values.yaml with the files merged over it, as JSON: what Helm validates against values.schema.json.</summary>
    public static async Task<string> MergedValuesAsync(params string[] valueFiles)
    {
        var (exitCode, output, error) = await RunAsync(valueFiles, ["--values-json"]);
        Assert.True(exitCode == 0, error);
        return output;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] valueFiles, string[] extra)
    {
        Assert.True(File.Exists(Go), "Go is missing: apt-get install golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev (make test installs them).");
        var arguments = new List<string> { "run", "./ops/helm/render", Directory };
        foreach (var file in valueFiles)
        {
            arguments.AddRange(["-f", file]);
        }

        arguments.AddRange(extra);
        return await ExternalTool.RunAsync(Go, arguments, new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = "/usr/share/gocode",
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "streamspace-gocache"),
        });
    }
}
