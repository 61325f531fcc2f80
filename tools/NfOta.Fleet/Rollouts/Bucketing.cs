using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NfOta.Fleet.Rollouts;

/// <summary>
/// Places a board in a bucket 0..9999 (basis points) from a hash of the rollout and the board, so
/// the same board lands in the same wave every time the rollout is looked at, and another rollout
/// draws a different 1 % (the same unlucky boards are not always first).
/// </summary>
public static class Bucketing
{
    public const int Buckets = 10_000;

    public static int BucketOf(long rolloutId, string controllerId)
    {
        var input = Encoding.UTF8.GetBytes($"{rolloutId}\n{controllerId}");
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % Buckets);
    }
}
