using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Web.Api;

/// <summary>The member's own sessions; every change goes through <see cref="MemberSessions"/>, as in the portal.</summary>
public static class SessionsApi
{
    private static readonly TimeSpan EventPoll = TimeSpan.FromSeconds(1);

    public static void MapSessionsApi(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags("Sessions").RequireAuthorization(ApiPolicies.Sessions);
        sessions.MapGet("/", ListAsync).WithName("ListSessions").WithSummary("The member's sessions that are not terminated.");
        sessions.MapGet("/events", Events).WithName("SessionEvents")
            .WithSummary("Server-sent events: the member's sessions, each time one changes state or progress (event type \"session\").")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status429TooManyRequests);
        sessions.MapGet("/{id:guid}", GetAsync).WithName("GetSession").WithSummary("One of the member's sessions.").ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapPost("/", LaunchAsync).WithName("LaunchSession").WithSummary("Launches a template; refused with the portal's message when a quota does not allow it.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        sessions.MapPost("/{id:guid}/hibernate", HibernateAsync).WithName("HibernateSession").WithSummary("Hibernates a running session; its home is kept.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id:guid}/resume", ResumeAsync).WithName("ResumeSession").WithSummary("Resumes a hibernated session.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id:guid}/terminate", TerminateAsync).WithName("TerminateSession").WithSummary("Terminates a session; its home is kept.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<List<ApiSession>>> ListAsync(StreamSpaceDb db, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewsAsync(db, user.MemberId(), null, cancellationToken));

    private static async Task<Results<Ok<ApiSession>, ProblemHttpResult>> GetAsync(StreamSpaceDb db, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        await OneAsync(db, user.MemberId(), id, cancellationToken) is { } session ? TypedResults.Ok(session) : NotFound(id);

    private static async Task<Results<Created<ApiSession>, ValidationProblem>> LaunchAsync(
        StreamSpaceDb db, MemberSessions sessions, ClaimsPrincipal user, LaunchRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Template))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["template"] = ["Name the template to launch."] });
        }

        var session = await sessions.LaunchAsync(user.MemberId(), request.Template.Trim(), cancellationToken);
        var view = (await OneAsync(db, user.MemberId(), session.Id, cancellationToken))!;
        return TypedResults.Created($"{ApiRequests.Prefix}/sessions/{session.Id}", view);
    }

    private static Task<Results<Accepted<ApiSession>, ProblemHttpResult>> HibernateAsync(
        StreamSpaceDb db, MemberSessions sessions, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ActAsync(db, user, id, () => sessions.HibernateAsync(user.MemberId(), id, cancellationToken), cancellationToken);

    private static Task<Results<Accepted<ApiSession>, ProblemHttpResult>> ResumeAsync(
        StreamSpaceDb db, MemberSessions sessions, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ActAsync(db, user, id, () => sessions.ResumeAsync(user.MemberId(), id, cancellationToken), cancellationToken);

    private static Task<Results<Accepted<ApiSession>, ProblemHttpResult>> TerminateAsync(
        StreamSpaceDb db, MemberSessions sessions, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ActAsync(db, user, id, () => sessions.TerminateAsync(user.MemberId(), id, cancellationToken), cancellationToken);

    /// <summary>Each stream polls the database every second, so one token holds only a few open at once.</summary>
    private static Results<ServerSentEventsResult<ApiSession>, ProblemHttpResult> Events(
        HttpContext http, StreamSpaceDb db, ClaimsPrincipal user, OpenStreams streams, IOptions<StreamGatewayOptions> options, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxEventStreamsPerToken;
        if (streams.TryOpen($"token:{TokenKey(http)}", limit) is not { } lease)
        {
            return TypedResults.Problem(
                $"This token already has {limit} event streams open; close one first.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many event streams");
        }

        http.Response.RegisterForDispose(lease);
        return TypedResults.ServerSentEvents(ChangesAsync(db, user.MemberId(), cancellationToken));
    }

    /// <summary>The bearer token itself, hashed: every token counts on its own, and no token is kept in memory.</summary>
    private static string TokenKey(HttpContext http) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString())));

    /// <summary>Every session once, then each one again whenever its state or progress changed since the last look.</summary>
    private static async IAsyncEnumerable<SseItem<ApiSession>> ChangesAsync(StreamSpaceDb db, Guid memberId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new Dictionary<Guid, (string State, string? Progress)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var session in await ViewsAsync(db, memberId, null, cancellationToken, includeTerminated: true))
            {
                var now = (session.State, session.Progress);
                if (seen.TryGetValue(session.Id, out var before) && before == now)
                {
                    continue;
                }

                var first = !seen.ContainsKey(session.Id);
                seen[session.Id] = now;
                if (first && session.State == "terminated")
                {
                    continue;
                }

                yield return new SseItem<ApiSession>(session, "session") { EventId = $"{session.Id:N}-{session.StateChangedAt.ToUnixTimeMilliseconds()}" };
            }

            try
            {
                await Task.Delay(EventPoll, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static async Task<Results<Accepted<ApiSession>, ProblemHttpResult>> ActAsync(
        StreamSpaceDb db, ClaimsPrincipal user, Guid id, Func<Task> action, CancellationToken cancellationToken)
    {
        await action();
        db.ChangeTracker.Clear();
        return await OneAsync(db, user.MemberId(), id, cancellationToken) is { } session
            ? TypedResults.Accepted($"{ApiRequests.Prefix}/sessions/{id}", session)
            : NotFound(id);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"Session {id} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Session not found");

    private static async Task<ApiSession?> OneAsync(StreamSpaceDb db, Guid memberId, Guid id, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, memberId, id, cancellationToken, includeTerminated: true)).SingleOrDefault();

    private static async Task<List<ApiSession>> ViewsAsync(
        StreamSpaceDb db, Guid memberId, Guid? only, CancellationToken cancellationToken, bool includeTerminated = false)
    {
        var found = await db.Sessions.AsNoTracking()
            .Where(s => s.MemberId == memberId && (includeTerminated || s.State != SessionState.Terminated) && (only == null || s.Id == only))
            .OrderByDescending(s => s.CreatedAt)
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new { Session = s, t.Name, t.DisplayName })
            .ToListAsync(cancellationToken);
        return found.Select(f => new ApiSession(
                f.Session.Id, f.Session.Name, f.Name, f.DisplayName, f.Session.State.ToString().ToLowerInvariant(), f.Session.Progress,
                f.Session.FailureReason, f.Session.HibernateReason, f.Session.CreatedAt, f.Session.StateChangedAt, $"/sessions/{f.Session.Id}/view"))
            .ToList();
    }
}
