using System.Runtime.Versioning;

// These tests start bubblewrap sandboxes; they only run on Linux.
[assembly: SupportedOSPlatform("linux")]
