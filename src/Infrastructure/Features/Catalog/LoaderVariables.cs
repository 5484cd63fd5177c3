namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// Environment variables that make a program load code or read files they name before its own logic runs (the dynamic
/// loader's, glibc's list for setuid programs, shell and interpreter start-up): a template may not set them.
/// </summary>
public static class LoaderVariables
{
    private static readonly HashSet<string> Refused = new(StringComparer.Ordinal)
    {
        "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "NIS_PATH", "NLSPATH",
        "RESOLV_HOST_CONF", "RES_OPTIONS",
        "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND", "IFS",
        "PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONINSPECT",
        "RUBYOPT", "RUBYLIB", "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "LUA_INIT",
    };

    public static bool IsRefused(string name) =>
        name.StartsWith("LD_", StringComparison.Ordinal) || name.StartsWith("MALLOC_", StringComparison.Ordinal) || Refused.Contains(name);
}
