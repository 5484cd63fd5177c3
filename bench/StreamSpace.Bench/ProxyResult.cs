namespace StreamSpace.Bench;

/// <summary>Everything measured for one proxy; a number stays NaN when its workload failed.</summary>
internal sealed class ProxyResult(string name)
{
    public string Name => name;

    public double DownloadMibPerSecond { get; set; } = double.NaN;

    public double DownloadCpuSecondsPerGib { get; set; } = double.NaN;

    public double UploadMibPerSecond { get; set; } = double.NaN;

    public double UploadCpuSecondsPerGib { get; set; } = double.NaN;

    public double RoundTripP50Microseconds { get; set; } = double.NaN;

    public double RoundTripP99Microseconds { get; set; } = double.NaN;

    public double ConnectP50Milliseconds { get; set; } = double.NaN;

    public double ConnectP99Milliseconds { get; set; } = double.NaN;

    public double ViewersMaxRssMib { get; set; } = double.NaN;

    public double ViewersMaxPssMib { get; set; } = double.NaN;

    public double ViewersCpuSeconds { get; set; } = double.NaN;

    public double FramesPerSecondPerViewer { get; set; } = double.NaN;

    public int ViewersStreaming { get; set; }

    public List<string> Failures { get; } = [];
}
