namespace StreamSpace.Tests.Integration.Catalog;

public static class HtmxRequests
{
    /// <summary>A GET as htmx sends it from the search form.</summary>
    public static async Task<HttpResponseMessage> HtmxGetAsync(this HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("HX-Request", "true");
        return await client.SendAsync(request);
    }
}
