using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Pages;

/// <summary>What an import form sent: the chosen file when there is one (at most <see cref="MaxBytes"/>), otherwise the pasted text.</summary>
public static class YamlUpload
{
    public const long MaxBytes = YamlFieldReader.MaxLength;

    /// <summary>The YAML text, or the problem that there is none to read (<paramref name="kind"/> names the documents expected).</summary>
    public static async Task<(string? Yaml, TemplateProblem? Problem)> ReadAsync(IFormFile? upload, string? pasted, string kind, CancellationToken cancellationToken)
    {
        if (upload is { Length: > 0 })
        {
            if (upload.Length > MaxBytes)
            {
                return (null, new TemplateProblem(1, null, $"the file is larger than {MaxBytes / 1024} KiB"));
            }

            using var reader = new StreamReader(upload.OpenReadStream());
            return (await reader.ReadToEndAsync(cancellationToken), null);
        }

        return string.IsNullOrWhiteSpace(pasted) ? (pasted, new TemplateProblem(1, null, $"paste {kind} YAML or choose a file")) : (pasted, null);
    }
}
