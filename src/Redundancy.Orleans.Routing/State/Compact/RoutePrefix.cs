using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Redundancy.Orleans.Routing.State.Compact;

/// <summary>
/// A prefix as its address bits and length, with no string: the key of the RIB (<see cref="RibTable"/>) and of the
/// forwarding table. IPv4 addresses sit in the low 32 bits of <see cref="Low"/>. An address (a next hop) is keyed as the
/// prefix of its full length. The text form is made only when a route is shown or sent as text.
/// </summary>
internal readonly struct RoutePrefix : IEquatable<RoutePrefix>
{
    private RoutePrefix(ulong high, ulong low, byte length, bool isV6) => (High, Low, Length, IsV6) = (high, low, length, isV6);

    /// <summary>The first 64 bits of an IPv6 address; 0 for IPv4.</summary>
    public ulong High { get; }

    /// <summary>The last 64 bits of an IPv6 address, or the IPv4 address.</summary>
    public ulong Low { get; }

    /// <summary>The prefix length.</summary>
    public byte Length { get; }

    /// <summary>True for IPv6.</summary>
    public bool IsV6 { get; }

    /// <summary>Parses <c>address/length</c>; the text is trusted to be canonical (validated on the way in).</summary>
    /// <exception cref="FormatException">The text is not a prefix.</exception>
    public static RoutePrefix Parse(string text) =>
        TryParse(text, out var prefix) ? prefix : throw new FormatException($"'{text}' is not a prefix (address/length).");

    /// <summary>Parses <c>address/length</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out RoutePrefix prefix)
    {
        prefix = default;
        var slash = text.IndexOf('/');
        Span<byte> bytes = stackalloc byte[16];
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || !address.TryWriteBytes(bytes, out var n)
            || !byte.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > n * 8)
        {
            return false;
        }

        prefix = FromBytes(bytes[..n], length);
        return true;
    }

    /// <summary>
    /// Parses <c>address/length</c> only in its canonical text (as <see cref="RouteValidator"/> demands): shorthand,
    /// octal or hexadecimal IPv4, scope ids, leading zeros or upper-case IPv6 would otherwise name another prefix.
    /// </summary>
    public static bool TryParseCanonical(string text, out RoutePrefix prefix) =>
        TryParse(text, out prefix) && string.Equals(prefix.ToString(), text, StringComparison.Ordinal);

    /// <summary>An address of 4 or 16 bytes (network order) and a length.</summary>
    /// <exception cref="FormatException">The address is neither 4 nor 16 bytes, or the length is longer than it.</exception>
    public static RoutePrefix FromBytes(ReadOnlySpan<byte> address, byte length) => address.Length switch
    {
        4 when length <= 32 => new RoutePrefix(0, BinaryPrimitives.ReadUInt32BigEndian(address), length, isV6: false),
        16 when length <= 128 => new RoutePrefix(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), length, isV6: true),
        4 or 16 => throw new FormatException($"prefix length {length} is longer than a {address.Length * 8}-bit address"),
        _ => throw new FormatException($"address length {address.Length}"),
    };

    /// <summary>Writes the address bytes (network order); returns how many (4 or 16).</summary>
    public int WriteAddress(Span<byte> destination)
    {
        if (!IsV6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Low);
            return 4;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
        return 16;
    }

    /// <summary>The address alone, in its canonical text form.</summary>
    public string AddressText()
    {
        Span<byte> bytes = stackalloc byte[16];
        return new IPAddress(bytes[..WriteAddress(bytes)]).ToString();
    }

    /// <summary>The canonical CIDR text, e.g. <c>10.0.0.0/24</c>.</summary>
    public override string ToString() => AddressText() + "/" + Length.ToString(CultureInfo.InvariantCulture);

    public bool Equals(RoutePrefix other) => Low == other.Low && High == other.High && Length == other.Length && IsV6 == other.IsV6;

    public override bool Equals(object? obj) => obj is RoutePrefix other && Equals(other);

    // Seeded per process, as string hashing is: prefixes come from outside, so a fixed hash would let a sender choose
    // prefixes that all collide and make every table insert linear.
    public override int GetHashCode() => HashCode.Combine(High, Low, Length, IsV6);

    public static bool operator ==(RoutePrefix left, RoutePrefix right) => left.Equals(right);

    public static bool operator !=(RoutePrefix left, RoutePrefix right) => !left.Equals(right);
}
