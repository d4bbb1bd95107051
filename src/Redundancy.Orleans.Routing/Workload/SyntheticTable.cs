using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Redundancy.Orleans.Routing.Workload;

/// <summary>
/// A synthetic Internet routing table, generated deterministically from a seed on the server (never uploaded): the
/// prefix-length distribution of the real IPv4 and IPv6 tables, one prefix in five IPv6, and several paths (eBGP, iBGP,
/// OSPF) for a share of prefixes, over a few dozen next hops, as a BGP process on a border router holds it.
/// </summary>
/// <remarks>
/// Prefix number <c>j</c> of a table is computed on its own (no table is built to draw from), so a table of two million
/// prefixes can be loaded window by window (<see cref="Routes"/> with <c>from</c>/<c>count</c>) and every window is the
/// same in every run, build and process. Within a prefix length the networks are an affine permutation of the length's
/// address space (IPv4 1.0.0.0–223.255.255.255, IPv6 2000::/3), so no prefix repeats.
/// </remarks>
public static class SyntheticTable
{
    /// <summary>The largest table (<see cref="SyntheticTableSizes.MaxPrefixes"/>).</summary>
    public const int MaxPrefixes = SyntheticTableSizes.MaxPrefixes;

    /// <summary>A full table (<see cref="SyntheticTableSizes.FullTable"/>).</summary>
    public const int FullTable = SyntheticTableSizes.FullTable;

    /// <summary>Prefix lengths of the IPv4 table and their weights (prefixes per length in the public table, 2024).</summary>
    internal static readonly (int Length, int Weight)[] Ipv4Lengths =
    [
        (8, 16), (9, 13), (10, 37), (11, 100), (12, 290), (13, 580), (14, 1_150), (15, 2_000), (16, 13_500), (17, 8_000),
        (18, 13_500), (19, 24_000), (20, 43_000), (21, 45_000), (22, 120_000), (23, 100_000), (24, 580_000),
    ];

    /// <summary>Prefix lengths of the IPv6 table and their weights.</summary>
    internal static readonly (int Length, int Weight)[] Ipv6Lengths =
    [
        (24, 300), (28, 1_200), (29, 7_000), (30, 1_000), (31, 500), (32, 28_000), (33, 3_000), (34, 2_500), (35, 1_500),
        (36, 9_000), (37, 800), (38, 1_200), (39, 700), (40, 16_000), (41, 1_000), (42, 2_500), (43, 1_000), (44, 20_000),
        (45, 2_000), (46, 7_000), (47, 5_000), (48, 120_000), (56, 300), (64, 200),
    ];

    private static readonly string[] Ipv4NextHops = [.. Enumerable.Range(1, 64).Select(i => $"198.51.100.{i}")];
    private static readonly string[] Ipv6NextHops = [.. Enumerable.Range(1, 16).Select(i => $"2001:db8:ffff::{i:x}")];
    private static readonly string[] PathOrigins = [RouteOrigins.Ebgp, RouteOrigins.Ibgp, RouteOrigins.Ospf];

    /// <summary>
    /// The paths of prefixes <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> - 1 of the table of
    /// <paramref name="prefixes"/> prefixes generated from <paramref name="seed"/>, in prefix order (one to three paths each).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The table size is not 1..<see cref="MaxPrefixes"/>, or the window is not inside it.</exception>
    public static IEnumerable<Route> Routes(int seed, int prefixes, int from = 0, int? count = null)
    {
        var layout = Layout.Of(prefixes);
        var take = count ?? prefixes - from;
        if (from < 0 || take < 0 || (long)from + take > prefixes)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"Prefixes {from}..{(long)from + take - 1} are not inside the table of {prefixes} (0..{prefixes - 1}).");
        }

        return Generate(seed, layout, from, take);
    }

    /// <summary>Checks a table's size: null when it can be generated, otherwise why not.</summary>
    public static string? Refusal(int prefixes) =>
        prefixes is < 1 or > MaxPrefixes ? $"A synthetic table has 1..{MaxPrefixes} prefixes (got {prefixes})." : null;

    private static IEnumerable<Route> Generate(int seed, Layout layout, int from, int count)
    {
        for (var j = from; j < from + count; j++)
        {
            var (prefix, v6) = layout.Prefix(seed, j);
            var h = Mix((ulong)(uint)seed, (ulong)j);
            var paths = (h % 100) switch { < 85 => 1, < 97 => 2, _ => 3 };
            for (var p = 0; p < paths; p++)
            {
                var hp = Mix(h, (ulong)p + 1);
                yield return new Route
                {
                    Prefix = prefix,
                    NextHop = v6 ? Ipv6NextHops[(int)(hp % (ulong)Ipv6NextHops.Length)] : Ipv4NextHops[(int)(hp % (ulong)Ipv4NextHops.Length)],
                    Metric = (int)((hp >> 20) % 1000),
                    Origin = PathOrigins[p],
                };
            }
        }
    }

    /// <summary>A 64-bit mix of two values (SplitMix64's finalizer): the same on every platform.</summary>
    private static ulong Mix(ulong a, ulong b)
    {
        var z = a * 0x9E3779B97F4A7C15UL + b + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>How many prefixes of each length a table of a given size has (largest remainder), and where each starts.</summary>
    internal sealed class Layout
    {
        private readonly (int Length, int Start, int Count)[] _v4;
        private readonly (int Length, int Start, int Count)[] _v6;

        private Layout(int prefixes)
        {
            var v6 = prefixes / 5;
            V4 = prefixes - v6;
            _v4 = Allocate(Ipv4Lengths, V4, 0);
            _v6 = Allocate(Ipv6Lengths, v6, V4);
        }

        /// <summary>IPv4 prefixes: numbers 0..V4-1; IPv6 the rest.</summary>
        public int V4 { get; }

        /// <summary>Prefixes per length, IPv4 then IPv6.</summary>
        public IEnumerable<(int Length, bool V6, int Count)> Counts =>
            _v4.Select(b => (b.Length, false, b.Count)).Concat(_v6.Select(b => (b.Length, true, b.Count)));

        public static Layout Of(int prefixes) =>
            Refusal(prefixes) is { } refusal ? throw new ArgumentOutOfRangeException(nameof(prefixes), refusal) : new Layout(prefixes);

        /// <summary>Prefix number <paramref name="j"/> in canonical text, and whether it is IPv6.</summary>
        public (string Prefix, bool V6) Prefix(int seed, int j)
        {
            var v6 = j >= V4;
            var blocks = v6 ? _v6 : _v4;
            var block = blocks[Find(blocks, j)];
            var index = (ulong)(j - block.Start);
            var salt = Mix((ulong)(uint)seed, (ulong)block.Length + (v6 ? 1000UL : 0));
            if (!v6)
            {
                // Networks of /L in 1.0.0.0–223.255.255.255: 223 · 2^(L-8) of them.
                var space = 223UL << (block.Length - 8);
                var n = Permute(index, space, salt);
                var address = (uint)(((n >> (block.Length - 8)) + 1) << 24) | (uint)((n & ((1UL << (block.Length - 8)) - 1)) << (32 - block.Length));
                return (string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{block.Length}"), false);
            }

            // Networks of /L in 2000::/3: 2^(L-3) of them; every length here is at most 64, so the low half is zero.
            var n6 = Permute(index, 1UL << (block.Length - 3), salt);
            var high = (1UL << 61) | (n6 << (64 - block.Length));
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
            return (new IPAddress(bytes) + "/" + block.Length.ToString(CultureInfo.InvariantCulture), true);
        }

        private static int Find((int Length, int Start, int Count)[] blocks, int j)
        {
            var i = 0;
            while (j >= blocks[i].Start + blocks[i].Count)
            {
                i++;
            }

            return i;
        }

        /// <summary>
        /// Index → network by an affine map modulo the space (a bijection: the multiplier is odd and not a multiple of 223,
        /// so it is coprime with 223 · 2^k and with 2^k).
        /// </summary>
        private static ulong Permute(ulong index, ulong space, ulong salt)
        {
            var a = (salt | 1) % space;
            while (a == 0 || a % 223 == 0 || a % 2 == 0)
            {
                a = (a + 2) % space | 1;
            }

            var b = Mix(salt, 7) % space;
            return (ulong)((((UInt128)a * index) + b) % space);
        }

        private static (int Length, int Start, int Count)[] Allocate((int Length, int Weight)[] weights, int total, int start)
        {
            var sum = weights.Sum(w => (long)w.Weight);
            var exact = weights.Select(w => (double)w.Weight * total / sum).ToArray();
            var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
            foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(total - counts.Sum()))
            {
                counts[i]++;
            }

            var blocks = new (int Length, int Start, int Count)[weights.Length];
            for (var i = 0; i < weights.Length; i++)
            {
                blocks[i] = (weights[i].Length, start, counts[i]);
                start += counts[i];
            }

            return blocks;
        }
    }
}
