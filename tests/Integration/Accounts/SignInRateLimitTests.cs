using System.Net;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Accounts;

public sealed class SignInRateLimitTests(SignInRateLimitTests.StrictPortal portal) : IClassFixture<SignInRateLimitTests.StrictPortal>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_per_minute_answer_429()
    {
        var client = portal.ClientFor(null);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            statuses.Add((await client.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override int SignInAttemptsPerMinute => 3;
    }
}
