namespace StreamSpace.Infrastructure.Runtimes;

public sealed class RuntimeOptions
{
    public const string Section = "Runtime";

    public RuntimeKind Kind { get; set; } = RuntimeKind.Local;
}
