using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>Keeps every rendered log line and its scopes, so a test can look for what must never be logged.</summary>
internal sealed class CapturedLog : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly AsyncLocal<object?> _scope = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable BeginScope<TState>(TState state)
        where TState : notnull
    {
        _scope.Value = state;
        return new ScopeEnd(_scope);
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var scope = _scope.Value is IEnumerable<KeyValuePair<string, object>> pairs ? string.Join(",", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        _lines.Enqueue($"{logLevel} [{scope}] {formatter(state, exception)} {exception}");
    }

    public void Dispose()
    {
    }

    private sealed class ScopeEnd(AsyncLocal<object?> scope) : IDisposable
    {
        public void Dispose() => scope.Value = null;
    }
}
