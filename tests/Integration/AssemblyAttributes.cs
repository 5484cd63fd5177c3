using System.Runtime.Versioning;

// The local runtime and gateway tests start bubblewrap sandboxes and Xvnc; they only run on Linux.
[assembly: SupportedOSPlatform("linux")]
