namespace StreamSpace.Domain.Sessions;

public sealed record ScreenSize(int Width, int Height)
{
    public static ScreenSize Default { get; } = new(1280, 800);
}
