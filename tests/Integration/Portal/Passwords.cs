namespace StreamSpace.Tests.Integration.Portal;

public static class Passwords
{
    public const string Good = "correct horse battery staple";
}
