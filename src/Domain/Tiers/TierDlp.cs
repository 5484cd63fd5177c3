namespace StreamSpace.Domain.Tiers;

public sealed record TierDlp(bool ClipboardIn, bool ClipboardOut, bool FileTransfer, bool Watermark);
