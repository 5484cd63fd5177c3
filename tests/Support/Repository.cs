namespace StreamSpace.Tests.Support;

/// <summary>The checkout the tests run from: where StreamSpace.sln is, above the test assembly.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StreamSpace.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("StreamSpace.sln not found above the test assembly.");
    }
}
