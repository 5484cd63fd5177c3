namespace StreamSpace.Web.Streaming;

/// <summary>What becomes of a WebSocket message the proxy relays.</summary>
internal enum WebSocketVerdict
{
    /// <summary>Not decided yet: keep holding its frames until more of it has arrived.</summary>
    Hold,

    /// <summary>Its frames go on exactly as they were sent.</summary>
    Forward,

    /// <summary>None of it goes on.</summary>
    Drop,

    /// <summary>A single frame carrying the judge's replacement payload goes on instead (complete messages only).</summary>
    Replace,

    /// <summary>
    /// This part and every later part of it go through the filter's rewrite and on as frames of their own: for a byte
    /// stream such as RFB, whose WebSocket message boundaries carry no meaning, so no message need be held whole.
    /// </summary>
    Rewrite,
}
