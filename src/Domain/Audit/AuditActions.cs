namespace StreamSpace.Domain.Audit;

/// <summary>The action names written to the audit log; admins filter on them, so they are stable.</summary>
public static class AuditActions
{
    public const string TenantCreated = "tenant.create";
    public const string MemberSignedUp = "member.sign-up";
    public const string SignInSucceeded = "member.sign-in";
    public const string SignInFailed = "member.sign-in-failed";

    /// <summary>A tenant admin signed in with a password while the organisation signs in with its provider only.</summary>
    public const string SignInPasswordBreakGlass = "member.sign-in-break-glass";
    public const string LockedOut = "member.locked-out";
    public const string SignedOut = "member.sign-out";
    public const string SessionLaunched = "session.launch";
    public const string SessionHibernated = "session.hibernate";
    public const string SessionResumed = "session.resume";
    public const string SessionTerminated = "session.terminate";
    public const string SessionFailed = "session.fail";
    public const string SessionKeepAwake = "session.keep-awake";
    public const string StreamConnected = "stream.connect";
    public const string StreamDisconnected = "stream.disconnect";
    public const string TemplateCreated = "template.create";
    public const string TemplateUpdated = "template.update";
    public const string TemplateImported = "template.import";
    public const string TemplateEnabled = "template.enable";
    public const string TemplateDisabled = "template.disable";
    public const string MemberInvited = "member.invite";
    public const string InviteAccepted = "member.invite-accept";
    public const string InviteRevoked = "member.invite-revoke";
    public const string MemberChanged = "member.change";
    public const string TierCreated = "tier.create";
    public const string TierUpdated = "tier.update";
    public const string TierDeleted = "tier.delete";
    public const string AdminHibernated = "session.admin-hibernate";
    public const string AdminTerminated = "session.admin-terminate";
    public const string AdminViewStarted = "stream.admin-view";
    public const string TenantSettingChanged = "tenant.setting";
    public const string TenantSuspended = "tenant.suspend";
    public const string TenantReactivated = "tenant.reactivate";
    public const string TenantCapsChanged = "tenant.caps";

    /// <summary>Every action name above, for the audit page's filter.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();
    public const string ApiClientCreated = "api-client.create";
    public const string ApiClientDeleted = "api-client.delete";
    public const string SsoConfigured = "sso.configure";
    public const string SsoRemoved = "sso.remove";
    public const string SsoMemberCreated = "member.sso-create";
}
