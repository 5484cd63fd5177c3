namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>Waits for a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Deadline
{
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= until)
            {
                return false;
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }

    public static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan within) =>
        WaitUntilAsync(() => Task.FromResult(condition()), within);
}
