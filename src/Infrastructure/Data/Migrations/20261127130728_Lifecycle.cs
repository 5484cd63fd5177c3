using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace StreamSpace.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class Lifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "keep_awake",
                table: "sessions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "recovery_attempted",
                table: "sessions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "state_changed_at",
                table: "sessions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<TimeSpan>(
                name: "override_max_session_duration",
                table: "members",
                type: "interval",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "override_max_sessions",
                table: "members",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "override_memory_bytes",
                table: "members",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "override_storage_bytes",
                table: "members",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "session_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_session_runs_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "usage_samples",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seconds = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_samples", x => new { x.tenant_id, x.member_id, x.template_id, x.hour });
                    table.ForeignKey(
                        name: "fk_usage_samples_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_state_state_changed_at",
                table: "sessions",
                columns: new[] { "state", "state_changed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_session_runs_session_id",
                table: "session_runs",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "ix_session_runs_tenant_id_session_id_ended_at",
                table: "session_runs",
                columns: new[] { "tenant_id", "session_id", "ended_at" });

            migrationBuilder.CreateIndex(
                name: "ix_session_runs_tenant_id_started_at",
                table: "session_runs",
                columns: new[] { "tenant_id", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_runs");

            migrationBuilder.DropTable(
                name: "usage_samples");

            migrationBuilder.DropIndex(
                name: "ix_sessions_state_state_changed_at",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "keep_awake",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "recovery_attempted",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "state_changed_at",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "override_max_session_duration",
                table: "members");

            migrationBuilder.DropColumn(
                name: "override_max_sessions",
                table: "members");

            migrationBuilder.DropColumn(
                name: "override_memory_bytes",
                table: "members");

            migrationBuilder.DropColumn(
                name: "override_storage_bytes",
                table: "members");
        }
    }
}
