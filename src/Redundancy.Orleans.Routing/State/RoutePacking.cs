using System.Collections.Immutable;
using System.Net;
using System.Text;
using Redundancy.Orleans.Routing.State.Compact;

namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// Schemas 2 and 3 of the routing hot state (U1): routes packed into one byte array — address bytes instead of text,
/// one byte per origin — instead of one record per route; schema 3 also writes each next hop once, in a table the
/// routes index. Prefixes and next hops are canonical (validated on the way in), so packing and unpacking give back
/// exactly the same text. The RIB is packed from and unpacked into its compact form directly.
/// </summary>
public static class RoutePacking
{
    private const byte OtherOrigin = 255;

    // The smallest packed route: a 4-byte prefix and next hop, a one-byte metric and origin.
    private const int SmallestRoute = 13;

    // The same with the next hop named by its place in the table (schema 3).
    private const int SmallestIndexedRoute = 9;
    private static readonly ImmutableArray<string> Origins = RouteAtoms.KnownOriginNames;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// Packs every path of a RIB straight from its compact form (no route records): schema 2, or with
    /// <paramref name="indexedNextHops"/> schema 3, where the next hops are written once in a table at the start and each
    /// route names its next hop by its place in that table (a router has few next hops: a third less on the wire).
    /// </summary>
    public static byte[] Pack(RibTable rib, bool indexedNextHops = false)
    {
        ArgumentNullException.ThrowIfNull(rib);
        return Pack(rib.PathCount, rib.Paths(), indexedNextHops);
    }

    /// <summary>Packs compact paths (a peer's table: one per prefix) in the schema-2 form.</summary>
    internal static byte[] Pack(IReadOnlyDictionary<RoutePrefix, RoutePath> paths) => Pack(paths.Count, paths, indexedNextHops: false);

    private static byte[] Pack(int count, IEnumerable<KeyValuePair<RoutePrefix, RoutePath>> entries, bool indexedNextHops)
    {
        using var buffer = new MemoryStream(count * (indexedNextHops ? 10 : 16) + 8);
        using var w = new BinaryWriter(buffer);
        Span<byte> bytes = stackalloc byte[16];
        Dictionary<int, int>? hopIndex = null;
        if (indexedNextHops)
        {
            hopIndex = [];
            foreach (var (_, path) in entries)
            {
                hopIndex.TryAdd(path.NextHop, hopIndex.Count);
            }

            w.Write7BitEncodedInt(hopIndex.Count);
            foreach (var hop in hopIndex.Keys)
            {
                WriteAddress(w, RouteAtoms.NextHops.Key(hop), bytes);
            }
        }

        w.Write7BitEncodedInt(count);
        foreach (var (prefix, path) in entries)
        {
            WriteAddress(w, prefix, bytes);
            w.Write(prefix.Length);
            if (hopIndex is not null)
            {
                w.Write7BitEncodedInt(hopIndex[path.NextHop]);
            }
            else
            {
                WriteAddress(w, RouteAtoms.NextHops.Key(path.NextHop), bytes);
            }

            w.Write7BitEncodedInt(path.Metric);
            w.Write(path.Origin < RouteAtoms.KnownOrigins ? (byte)path.Origin : OtherOrigin);
            if (path.Origin >= RouteAtoms.KnownOrigins)
            {
                w.Write(path.OriginName);
            }
        }

        w.Flush();
        return buffer.ToArray();
    }

    /// <summary>
    /// Unpacks routes straight into a RIB's compact form (no route records, no strings). The bytes are read through once
    /// before anything is interned or added, so corrupt bytes leave the RIB and the process's next-hop and origin tables
    /// as they were.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not packed routes.</exception>
    internal static void UnpackInto(byte[]? packed, RibTable rib, bool indexedNextHops = false) =>
        UnpackInto(packed, rib.EnsureCapacity, rib.Set, indexedNextHops);

    /// <summary>Unpacks a peer's table (schema-2 form) into its compact form, as <see cref="UnpackInto(byte[], RibTable, bool)"/> does.</summary>
    internal static void UnpackInto(byte[]? packed, Dictionary<RoutePrefix, RoutePath> paths) =>
        UnpackInto(packed, count => paths.EnsureCapacity(count), (prefix, path) => paths[prefix] = path, indexedNextHops: false);

    private static void UnpackInto(byte[]? packed, Action<int> reserve, Action<RoutePrefix, RoutePath> add, bool indexedNextHops)
    {
        if (packed is null || packed.Length == 0)
        {
            return;
        }

        try
        {
            var count = Read(packed, null, indexedNextHops);
            reserve(count);
            Read(packed, add, indexedNextHops);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or FormatException or DecoderFallbackException)
        {
            throw new InvalidDataException($"Packed routes (schema {(indexedNextHops ? 3 : 2)}) are corrupt: {e.Message}", e);
        }
    }

    /// <summary>Reads packed routes; gives each to <paramref name="add"/> unless it is null (a check only). Returns the count.</summary>
    private static int Read(ReadOnlySpan<byte> span, Action<RoutePrefix, RoutePath>? add, bool indexedNextHops)
    {
        var at = 0;
        RoutePrefix[]? hops = null;
        int[]? hopIds = null;
        if (indexedNextHops)
        {
            var hopCount = Read7BitInt(span, ref at);
            if (hopCount < 0 || hopCount > span.Length / 5)
            {
                throw new FormatException($"{hopCount} next hops cannot fit in {span.Length} bytes");
            }

            hops = new RoutePrefix[hopCount];
            for (var i = 0; i < hopCount; i++)
            {
                var n = span[at++];
                hops[i] = RoutePrefix.FromBytes(span.Slice(at, n), (byte)(n * 8));
                at += n;
            }

            hopIds = add is null ? null : [.. hops.Select(RouteAtoms.NextHops.Intern)];
        }

        var count = Read7BitInt(span, ref at);
        if (count < 0 || count > (span.Length - at) / (indexedNextHops ? SmallestIndexedRoute : SmallestRoute))
        {
            throw new FormatException($"{count} routes cannot fit in {span.Length} bytes");
        }

        for (var i = 0; i < count; i++)
        {
            var n = span[at++];
            var prefix = RoutePrefix.FromBytes(span.Slice(at, n), span[at + n]);
            at += n + 1;
            int nextHop;
            if (hops is not null)
            {
                nextHop = Read7BitInt(span, ref at);
                if ((uint)nextHop >= (uint)hops.Length)
                {
                    throw new FormatException($"next hop {nextHop} of a table of {hops.Length}");
                }

                nextHop = hopIds?[nextHop] ?? nextHop;
            }
            else
            {
                n = span[at++];
                var address = RoutePrefix.FromBytes(span.Slice(at, n), (byte)(n * 8));
                at += n;
                nextHop = add is null ? 0 : RouteAtoms.NextHops.Intern(address);
            }

            var metric = Read7BitInt(span, ref at);
            var origin = span[at++];
            string? otherOrigin = null;
            if (origin == OtherOrigin)
            {
                otherOrigin = ReadString(span, ref at);
            }
            else if (origin >= RouteAtoms.KnownOrigins)
            {
                throw new FormatException($"origin {origin}");
            }

            add?.Invoke(prefix, new RoutePath(nextHop, metric, otherOrigin is null ? origin : RouteAtoms.Origins.Intern(otherOrigin)));
        }

        return at == span.Length ? count : throw new FormatException($"{span.Length - at} bytes after the last route");
    }

    /// <summary>An int as <see cref="BinaryWriter.Write7BitEncodedInt"/> writes it.</summary>
    private static int Read7BitInt(ReadOnlySpan<byte> span, ref int at)
    {
        var result = 0u;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = span[at++];
            result |= (uint)(b & 0x7F) << shift;
            if (shift == 28 && b > 0x0F)
            {
                break; // more than 32 bits, as BinaryReader refuses
            }

            if (b < 0x80)
            {
                return (int)result;
            }
        }

        throw new FormatException("a 7-bit encoded number is too long");
    }

    /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it.</summary>
    private static string ReadString(ReadOnlySpan<byte> span, ref int at)
    {
        var length = Read7BitInt(span, ref at);
        var text = StrictUtf8.GetString(span.Slice(at, length));
        at += length;
        return text;
    }

    /// <summary>Packs routes.</summary>
    public static byte[] Pack(IReadOnlyCollection<Route> routes)
    {
        using var buffer = new MemoryStream(routes.Count * 16 + 8);
        using var w = new BinaryWriter(buffer);
        w.Write7BitEncodedInt(routes.Count);
        foreach (var r in routes)
        {
            var slash = r.Prefix.IndexOf('/', StringComparison.Ordinal);
            WriteAddress(w, IPAddress.Parse(r.Prefix.AsSpan(0, slash)));
            w.Write(byte.Parse(r.Prefix.AsSpan(slash + 1), provider: System.Globalization.CultureInfo.InvariantCulture));
            WriteAddress(w, IPAddress.Parse(r.NextHop));
            w.Write7BitEncodedInt(r.Metric);
            var origin = Origins.IndexOf(r.Origin);
            w.Write(origin >= 0 ? (byte)origin : OtherOrigin);
            if (origin < 0)
            {
                w.Write(r.Origin);
            }
        }

        w.Flush();
        return buffer.ToArray();
    }

    /// <summary>Unpacks routes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not packed routes.</exception>
    public static Route[] Unpack(byte[]? packed)
    {
        if (packed is null || packed.Length == 0)
        {
            return [];
        }

        try
        {
            using var r = new BinaryReader(new MemoryStream(packed, writable: false));
            var count = r.Read7BitEncodedInt();
            if (count < 0 || count > packed.Length / SmallestRoute)
            {
                throw new FormatException($"{count} routes cannot fit in {packed.Length} bytes");
            }

            var routes = new Route[count];
            for (var i = 0; i < routes.Length; i++)
            {
                var prefix = ReadAddress(r);
                var length = r.ReadByte();
                var nextHop = ReadAddress(r);
                var metric = r.Read7BitEncodedInt();
                var origin = r.ReadByte();
                routes[i] = new Route
                {
                    Prefix = $"{prefix}/{length}",
                    NextHop = nextHop.ToString(),
                    Metric = metric,
                    Origin = origin == OtherOrigin ? r.ReadString() : Origins[origin],
                };
            }

            return routes;
        }
        catch (Exception e) when (e is EndOfStreamException or IndexOutOfRangeException or ArgumentException or FormatException or IOException or OverflowException)
        {
            throw new InvalidDataException($"Packed routes (schema 2) are corrupt: {e.Message}", e);
        }
    }

    private static void WriteAddress(BinaryWriter w, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var n);
        w.Write((byte)n);
        w.Write(bytes[..n]);
    }

    /// <summary>An address as its length and bytes (the address bits of a prefix, or a next hop's).</summary>
    private static void WriteAddress(BinaryWriter w, RoutePrefix address, Span<byte> buffer)
    {
        var n = address.WriteAddress(buffer);
        w.Write((byte)n);
        w.Write(buffer[..n]);
    }

    private static IPAddress ReadAddress(BinaryReader r)
    {
        var n = r.ReadByte();
        return n is 4 or 16 ? new IPAddress(r.ReadBytes(n)) : throw new FormatException($"address length {n}");
    }
}
