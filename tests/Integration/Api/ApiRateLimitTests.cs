using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace StreamSpace.Tests.Integration.Api;

public sealed class ApiRateLimitTests(ApiRateLimitTests.LimitedApiPortal portal) : IClassFixture<ApiRateLimitTests.LimitedApiPortal>
{
    /// <summary>Three requests per minute per client.</summary>
    public sealed class LimitedApiPortal : ApiPortal
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ApiLimits:RequestsPerMinute", "3");
        }
    }

    [Fact]
    public async Task A_client_over_its_limit_gets_429_while_another_client_is_still_served()
    {
        using var busy = await portal.ApiClientAsync(portal.AcmeAdminClient);
        using var quiet = await portal.ApiClientAsync(portal.InitechAdminClient);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/v1/templates")).StatusCode);
        }

        using var refused = await busy.GetAsync("/api/v1/templates");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/v1/templates")).StatusCode);
    }
}
