using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StreamSpace.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class Catalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "env",
                table: "templates",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "ports",
                table: "templates",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            // Rows from before: their one port becomes the first (and only) entry of the list.
            migrationBuilder.Sql("""
                UPDATE templates SET ports = jsonb_build_array(jsonb_build_object(
                    'name', CASE WHEN protocol = 'Rfb' THEN 'vnc' ELSE 'http' END, 'containerPort', port))
                WHERE port > 0
                """);

            migrationBuilder.CreateTable(
                name: "disabled_templates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: false),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_disabled_templates", x => x.id);
                    table.ForeignKey(
                        name: "fk_disabled_templates_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_disabled_templates_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_disabled_templates_template_id",
                table: "disabled_templates",
                column: "template_id");

            migrationBuilder.CreateIndex(
                name: "ix_disabled_templates_tenant_id_template_id",
                table: "disabled_templates",
                columns: new[] { "tenant_id", "template_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "disabled_templates");

            migrationBuilder.DropColumn(
                name: "env",
                table: "templates");

            migrationBuilder.DropColumn(
                name: "ports",
                table: "templates");
        }
    }
}
