using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>
/// Keeps every rendered log line with its category and every scope open around it (outermost first), as a console logger
/// with scopes would print it, so a test can look for what must never be logged and for what every line must carry.
/// </summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly AsyncLocal<ImmutableStack<object>> _scopes = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public void Dispose()
    {
    }

    private string Scopes()
    {
        var pairs = (_scopes.Value ?? []).Reverse()
            .SelectMany(scope => scope as IEnumerable<KeyValuePair<string, object>> ?? [])
            .Select(p => $"{p.Key}={p.Value}");
        return string.Join(",", pairs);
    }

    private sealed class Category(CapturedLog log, string name) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var outer = log._scopes.Value ?? [];
            log._scopes.Value = outer.Push(state);
            return new ScopeEnd(log._scopes, outer);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log._lines.Enqueue($"{logLevel} {name} [{log.Scopes()}] {formatter(state, exception)} {exception}");
    }

    private sealed class ScopeEnd(AsyncLocal<ImmutableStack<object>> scopes, ImmutableStack<object> outer) : IDisposable
    {
        public void Dispose() => scopes.Value = outer;
    }
}
