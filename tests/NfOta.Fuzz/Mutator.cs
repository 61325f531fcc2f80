namespace NfOta.Fuzz;

/// <summary>Random structural mutations of a seed: bit flips, interesting values, truncation, insertion, duplication, splicing.</summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xE9, 0x0A, 0x3D, (byte)'.', (byte)'-'];
    private static readonly uint[] InterestingWords = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFF, 0x10000, 4096, 0xABCD5432];
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        var data = new List<byte>(input);
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            var at = data.Count == 0 ? 0 : _random.Next(data.Count);
            switch (_random.Next(9))
            {
                case 0 when data.Count > 0: data[at] ^= (byte)(1 << _random.Next(8)); break;
                case 1 when data.Count > 0: data[at] = Interesting[_random.Next(Interesting.Length)]; break;
                case 2 when data.Count >= 4:
                    var word = BitConverter.GetBytes(InterestingWords[_random.Next(InterestingWords.Length)]);
                    var start = Math.Min(at, data.Count - 4);
                    for (var k = 0; k < 4; k++) data[start + k] = word[k];
                    break;
                case 3: data.RemoveRange(at, data.Count - at); break;
                case 4 when data.Count > 0: data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(64))); break;
                case 5: data.InsertRange(at, Enumerable.Repeat(Interesting[_random.Next(Interesting.Length)], 1 + _random.Next(32))); break;
                case 6 when data.Count > 0:
                    var length = Math.Min(data.Count - at, 1 + _random.Next(128));
                    data.InsertRange(_random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 7:
                    var other = seeds[_random.Next(seeds.Count)];
                    if (other.Length > 0)
                    {
                        var from = _random.Next(other.Length);
                        var take = Math.Min(other.Length - from, 1 + _random.Next(256));
                        data.InsertRange(at, other.AsSpan(from, take).ToArray());
                    }
                    break;
                default:
                    if (data.Count > 0) data[at] = (byte)_random.Next(256);
                    break;
            }
        }
        return data.ToArray();
    }
}
