using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using StreamSpace.Domain.Audit;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Audit;

/// <summary>Adds audit events to the caller's unit of work, so an action and its event commit together.</summary>
public sealed class AuditTrail(StreamSpaceDb db, TimeProvider time, IHttpContextAccessor http)
{
    public const string SystemActor = "system";

    /// <summary>Who <see cref="Record"/> names as the actor right now: the signed-in member's e-mail, or <c>system</c>.</summary>
    public string CurrentActor
    {
        get
        {
            var user = http.HttpContext?.User;
            return user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name ?? SystemActor;
        }
    }

    /// <summary>Records an action by the signed-in member (or <c>system</c> outside a request).</summary>
    public void Record(string action, string target, string? details = null)
    {
        var user = http.HttpContext?.User;
        var actorId = Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (Guid?)null;
        RecordAs(CurrentActor, actorId, action, target, details);
    }

    /// <summary>Records an action whose actor is not (yet) signed in: a sign-up, a sign-in attempt.</summary>
    public void RecordAs(string actor, Guid? actorId, string action, string target, string? details = null)
    {
        var sourceIp = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        db.AuditEvents.Add(AuditEvent.Create(time.GetUtcNow(), actor, actorId, action, target, sourceIp, details));
    }
}
