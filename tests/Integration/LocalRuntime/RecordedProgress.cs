using System.Collections.Concurrent;

namespace StreamSpace.Tests.Integration.LocalRuntime;

/// <summary>Records progress synchronously; <see cref="Progress{T}"/> would post to the thread pool and race the assertions.</summary>
internal sealed class RecordedProgress : IProgress<string>
{
    private readonly ConcurrentQueue<string> _reports = new();

    public IReadOnlyList<string> Reports => [.. _reports];

    public void Report(string value) => _reports.Enqueue(value);
}
