using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StreamSpace.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_audit_events_tenants_tenant_id",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "ix_audit_events_tenant_id_at",
                table: "audit_events");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_tenant_id_at_id",
                table: "audit_events",
                columns: new[] { "tenant_id", "at", "id" });

            migrationBuilder.AddForeignKey(
                name: "fk_audit_events_tenants_tenant_id",
                table: "audit_events",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // The database itself refuses to change or remove an audit event, whatever the application does (ADR 0003).
            migrationBuilder.Sql(
                """
                CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END
                $$;
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP TRIGGER audit_events_no_truncate ON audit_events;
                DROP TRIGGER audit_events_append_only ON audit_events;
                DROP FUNCTION audit_events_refuse_change();
                """);

            migrationBuilder.DropForeignKey(
                name: "fk_audit_events_tenants_tenant_id",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "ix_audit_events_tenant_id_at_id",
                table: "audit_events");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_tenant_id_at",
                table: "audit_events",
                columns: new[] { "tenant_id", "at" });

            migrationBuilder.AddForeignKey(
                name: "fk_audit_events_tenants_tenant_id",
                table: "audit_events",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
