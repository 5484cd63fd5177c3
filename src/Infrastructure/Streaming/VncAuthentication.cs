using System.Security.Cryptography;
using System.Text;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>The VNC Authentication response: the 16-byte challenge encrypted with DES under a key made from the password.</summary>
internal static class VncAuthentication
{
    public const int ChallengeLength = 16;

    public static byte[] Respond(string password, ReadOnlySpan<byte> challenge)
    {
        if (challenge.Length != ChallengeLength)
        {
            throw new RfbProtocolException($"VncAuth challenge of {challenge.Length} bytes; {ChallengeLength} expected.");
        }

        // The password is cut or zero-padded to 8 bytes, and each byte's bits are mirrored, as every VNC server expects.
        var key = new byte[8];
        try
        {
            var utf8 = Encoding.UTF8.GetBytes(password);
            utf8.AsSpan(0, Math.Min(utf8.Length, key.Length)).CopyTo(key);
            CryptographicOperations.ZeroMemory(utf8);
            for (var i = 0; i < key.Length; i++)
            {
                key[i] = Mirror(key[i]);
            }

#pragma warning disable CA5351 // VncAuth is defined with DES; it is a second lock behind the portal's own authentication.
            using var des = DES.Create();
#pragma warning restore CA5351
            des.Key = key;
            return des.EncryptEcb(challenge, PaddingMode.None);
        }
        catch (CryptographicException e)
        {
            throw new RfbProtocolException("The session's VNC password cannot be used as a DES key (empty or weak).", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte Mirror(byte value)
    {
        var mirrored = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            mirrored = (mirrored << 1) | ((value >> bit) & 1);
        }

        return (byte)mirrored;
    }
}
