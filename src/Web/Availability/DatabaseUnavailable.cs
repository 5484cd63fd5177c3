using System.Net.Sockets;
using Npgsql;

namespace StreamSpace.Web.Availability;

/// <summary>
/// While PostgreSQL cannot be reached (restarting, failing over, out of connections) every page, htmx request and API call
/// answers 503 with <c>Retry-After</c> and says so, instead of a 500 whose error page itself needs the database. The page
/// is written here, without the layout: the layout reads the tenant, which is in the database.
/// </summary>
public sealed partial class DatabaseUnavailable(RequestDelegate next, ILogger<DatabaseUnavailable> logger)
{
    public const int RetryAfterSeconds = 5;

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="refresh" content="5" />
        <title>Briefly unavailable · StreamSpace</title>
        <style>body{font-family:system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;color:#212529;background:#f8f9fa}main{max-width:34rem;padding:2rem;text-align:center}h1{font-size:1.5rem}p{color:#495057}</style>
        </head>
        <body>
        <main>
        <h1>StreamSpace is briefly unavailable</h1>
        <p>Its database is not answering, most likely because it is restarting. Nothing you did was lost: running sessions keep running.</p>
        <p>This page tries again by itself in a few seconds.</p>
        </main>
        </body>
        </html>
        """;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (Exception e) when (IsOutage(e) && !context.Response.HasStarted)
        {
            LogUnavailable(logger, context.Request.Method, context.Request.Path, Reason(e));
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers.CacheControl = "no-store";
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || context.Request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                await context.Response.WriteAsJsonAsync(
                    new { title = "Service unavailable", status = 503, detail = $"The database is not answering; retry in {RetryAfterSeconds} seconds." },
                    options: null,
                    contentType: "application/problem+json",
                    context.RequestAborted);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Page, context.RequestAborted);
        }
    }

    /// <summary>The database is unreachable, as opposed to a query that is wrong: the connection, not the statement, failed.</summary>
    public static bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // 57P: the server is shutting down or starting; 08: the connection broke; 53300: no connection slot free.
                    return postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState == PostgresErrorCodes.TooManyConnections;
                case NpgsqlException { IsTransient: true }:
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                    return true;
            }
        }

        return false;
    }

    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database is not answering ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, string reason);
}
