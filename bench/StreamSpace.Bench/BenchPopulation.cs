using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Bench;

/// <summary>
/// Tenants with a <c>free</c> and a <c>pro</c> tier, members on <c>pro</c> (idle timeout 30m, max duration 8h), one global
/// template and running sessions spread evenly over tenants and members, written with set-based SQL in a few seconds.
/// <paramref name="Idle"/> of the sessions had their last input 31–90 minutes ago, the rest in the last ten minutes; all
/// started 2–7 hours ago, so none has reached its deadline. Ids derive from <paramref name="Prefix"/>, so two populations
/// can share a database.
/// </summary>
internal sealed record BenchPopulation(string Prefix, int Tenants, int MembersPerTenant, int Sessions, int Idle)
{
    // Session i belongs to tenant i % tenants and member (i / tenants) % members; it is idle when (i * 7919) % sessions < idle,
    // a permutation (7919 is prime and shares no factor with the session counts used) that spreads idle sessions evenly.
    private const string Seed = """
        INSERT INTO tenants (id, slug, display_name, status, created_at, plan_members, plan_memory_bytes, plan_running_sessions, plan_storage_bytes)
        SELECT md5(@prefix || '-tenant-' || t)::uuid, @prefix || '-' || t, 'Bench tenant ' || t, 'Active', now() - interval '30 days',
               1000, 1099511627776, 100000, 1099511627776
        FROM generate_series(0, @tenants - 1) AS t;

        INSERT INTO tiers (id, tenant_id, name, memory_bytes, cpu_millicores, max_sessions, storage_bytes, max_session_duration, idle_timeout,
                           clipboard_in, clipboard_out, file_transfer, watermark)
        SELECT md5(@prefix || '-tier-' || t || '-' || tier.name)::uuid, md5(@prefix || '-tenant-' || t)::uuid, tier.name, tier.memory, tier.cpu,
               tier.max_sessions, tier.storage, tier.max_duration, tier.idle, true, tier.name = 'pro', tier.name = 'pro', tier.name = 'free'
        FROM generate_series(0, @tenants - 1) AS t
        CROSS JOIN (VALUES ('free', 4294967296, 2000, 1, 10737418240, interval '2 hours', interval '15 minutes'),
                           ('pro', 17179869184, 8000, 5, 107374182400, interval '8 hours', interval '30 minutes'))
            AS tier(name, memory, cpu, max_sessions, storage, max_duration, idle);

        INSERT INTO members (id, tenant_id, display_name, role, tier_id, created_at, user_name, normalized_user_name, email, normalized_email,
                             email_confirmed, security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled,
                             access_failed_count)
        SELECT md5(@prefix || '-member-' || t || '-' || m)::uuid, md5(@prefix || '-tenant-' || t)::uuid, 'Member ' || m, 'user',
               md5(@prefix || '-tier-' || t || '-pro')::uuid, now() - interval '30 days', e.email, upper(e.email), e.email, upper(e.email),
               true, md5(random()::text), md5(random()::text), false, false, true, 0
        FROM generate_series(0, @tenants - 1) AS t
        CROSS JOIN generate_series(0, @members - 1) AS m
        CROSS JOIN LATERAL (SELECT 'm' || m || '@' || @prefix || t || '.test' AS email) AS e;

        INSERT INTO sessions (id, tenant_id, member_id, template_id, name, memory_bytes, cpu_millicores, state, progress, endpoint,
                              created_at, started_at, last_input_at, last_connection_at, deadline, version, keep_awake,
                              state_changed_at)
        SELECT md5(@prefix || '-session-' || i)::uuid, md5(@prefix || '-tenant-' || shape.t)::uuid,
               md5(@prefix || '-member-' || shape.t || '-' || shape.m)::uuid, @template, 'xterm-' || i, 2147483648, 1000, 'Running', 'Ready',
               'unix:/run/streamspace/' || i || '/vnc.sock', clock.started - interval '1 minute', clock.started, clock.input, clock.input,
               clock.started + interval '8 hours', 3, false, clock.started
        FROM generate_series(0, @sessions - 1) AS i
        CROSS JOIN LATERAL (SELECT i % @tenants AS t, (i / @tenants) % @members AS m, (i::bigint * 7919) % @sessions < @idle AS idle) AS shape
        CROSS JOIN LATERAL (
            SELECT now() - interval '2 hours' - (i % 300) * interval '1 minute' AS started,
                   CASE WHEN shape.idle THEN now() - interval '31 minutes' - (i % 60) * interval '1 minute'
                        ELSE now() - (i % 600) * interval '1 second' END AS input) AS clock;

        ANALYZE;
        """;

    public async Task SeedAsync(BenchDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Guid template;
        await using (var db = database.CreateContext())
        {
            template = await db.Templates.Where(t => t.TenantId == null).Select(t => t.Id).FirstOrDefaultAsync();
            if (template == Guid.Empty)
            {
                var global = Template.CreateGlobal(BuiltInTemplates.All[0]);
                db.Templates.Add(global);
                await db.SaveChangesAsync();
                template = global.Id;
            }
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Seed, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("prefix", Prefix);
        command.Parameters.AddWithValue("tenants", Tenants);
        command.Parameters.AddWithValue("members", MembersPerTenant);
        command.Parameters.AddWithValue("sessions", Sessions);
        command.Parameters.AddWithValue("idle", Idle);
        command.Parameters.AddWithValue("template", template);
        await command.ExecuteNonQueryAsync();
    }
}
