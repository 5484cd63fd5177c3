using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Tests.Integration.Audit;

/// <summary>Reads what an action left in the audit log: exactly one event is the rule, so every helper asserts it.</summary>
public static class AuditRecords
{
    /// <summary>The address the tests' requests come from, as a reverse proxy in front of the portal reports it.</summary>
    public const string ClientAddress = "203.0.113.7";

    /// <summary>Marks the client's requests as coming from <see cref="ClientAddress"/> through a reverse proxy.</summary>
    public static HttpClient FromClientAddress(this HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ClientAddress);
        return client;
    }

    /// <summary>The one event of <paramref name="action"/> on <paramref name="target"/>; fails when there are none or several.</summary>
    public static async Task<AuditEvent> SingleAsync(StreamSpaceDb db, string action, string target)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using (db)
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.Action == action && e.Target == target).ToListAsync();
            Assert.True(events.Count == 1, $"{events.Count} {action} events on {target}, expected exactly one.");
            return events[0];
        }
    }

    /// <summary>Waits (with a deadline) until <paramref name="action"/> on <paramref name="target"/> was recorded, then asserts it is one event.</summary>
    public static async Task<AuditEvent> EventuallySingleAsync(Func<StreamSpaceDb> db, string action, string target)
    {
        ArgumentNullException.ThrowIfNull(db);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var context = db())
            {
                if (await context.AuditEvents.AnyAsync(e => e.Action == action && e.Target == target))
                {
                    break;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No {action} event on {target} within 30 s.");
            await Task.Delay(100);
        }

        return await SingleAsync(db(), action, target);
    }
}
