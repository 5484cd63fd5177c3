using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

/// <summary>What the journeys do with a session's viewer: wait for the stream, type into it, look at its pixels and files.</summary>
public static class Viewer
{
    public static async Task ExpectConnectedAsync(IPage page, int timeoutMilliseconds = 30_000) =>
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = timeoutMilliseconds });

    /// <summary>Clicks into the remote screen and types <paramref name="line"/>, then Enter, as a person would.</summary>
    public static async Task TypeAsync(IPage page, string line)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Locator("#screen canvas").ClickAsync();
        await page.Keyboard.TypeAsync(line, new() { Delay = 20 });
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Counts lit pixels instead of comparing images: updates may be JPEG-encoded and lossy.</summary>
    public static Task<int> NonBlackPixelsAsync(IPage page) =>
        page.EvaluateAsync<int>("""
            () => {
              const canvas = document.querySelector('#screen canvas');
              const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              let lit = 0;
              for (let i = 0; i < data.length; i += 4) {
                if (data[i] + data[i + 1] + data[i + 2] > 60) lit++;
              }
              return lit;
            }
            """);

    /// <summary>The trimmed text of <paramref name="path"/> once it has some (or, given <paramref name="expected"/>, once it is that), within 30 s.</summary>
    public static async Task<string> WaitForFileAsync(string path, string? expected = null)
    {
        var patience = TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + patience;
        var text = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            text = File.Exists(path) ? (await File.ReadAllTextAsync(path)).Trim() : string.Empty;
            if (text.Length > 0 && (expected is null || text == expected))
            {
                return text;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(expected is null
            ? $"{path} did not appear within {patience.TotalSeconds} s."
            : $"{path} read \"{text}\", not \"{expected}\", after {patience.TotalSeconds} s.");
    }
}
