using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StreamSpace.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class InvitationRevocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "revoked_at",
                table: "invitations",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "revoked_at",
                table: "invitations");
        }
    }
}
