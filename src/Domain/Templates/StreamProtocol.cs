namespace StreamSpace.Domain.Templates;

public enum StreamProtocol
{
    /// <summary>VNC, relayed by the portal's authenticated gateway.</summary>
    Rfb,

    /// <summary>The image serves its own web client (LinuxServer.io images on port 3000).</summary>
    Http,
}
