using System.Net;

namespace Redundancy.Orleans.Routing.State;

/// <summary>
/// Schema 2 of the routing hot state (U1): routes packed into one byte array — address bytes instead of text,
/// one byte per origin — instead of one record per route. Prefixes and next hops are canonical (validated
/// on the way in), so packing and unpacking give back exactly the same text.
/// </summary>
public static class RoutePacking
{
    private const byte OtherOrigin = 255;
    private static readonly string[] Origins = [RouteOrigins.Connected, RouteOrigins.Static, RouteOrigins.Ebgp, RouteOrigins.Ospf, RouteOrigins.Isis, RouteOrigins.Rip, RouteOrigins.Ibgp];

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
            var origin = Array.IndexOf(Origins, r.Origin);
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
            var routes = new Route[r.Read7BitEncodedInt()];
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
        catch (Exception e) when (e is EndOfStreamException or IndexOutOfRangeException or ArgumentException or FormatException)
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

    private static IPAddress ReadAddress(BinaryReader r)
    {
        var n = r.ReadByte();
        return n is 4 or 16 ? new IPAddress(r.ReadBytes(n)) : throw new FormatException($"address length {n}");
    }
}
