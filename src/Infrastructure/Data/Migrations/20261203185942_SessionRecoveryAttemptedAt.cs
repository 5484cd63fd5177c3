using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StreamSpace.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionRecoveryAttemptedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "recovery_attempted_at",
                table: "sessions",
                type: "timestamp with time zone",
                nullable: true);

            // A re-run already under way counts from now: it gets its full stuck period before drift repair gives up.
            migrationBuilder.Sql("UPDATE sessions SET recovery_attempted_at = now() WHERE recovery_attempted");

            migrationBuilder.DropColumn(
                name: "recovery_attempted",
                table: "sessions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "recovery_attempted",
                table: "sessions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql("UPDATE sessions SET recovery_attempted = recovery_attempted_at IS NOT NULL");

            migrationBuilder.DropColumn(
                name: "recovery_attempted_at",
                table: "sessions");
        }
    }
}
