using System.Security.Cryptography;
using System.Text;
using Redundancy.Orleans.Silo.Configuration;

namespace Redundancy.Orleans.Silo.Api;

/// <summary>
/// The management API's bearer token (<c>Chassis:ApiToken</c>). With a token, every mutating request must carry
/// it; when the API is not bound to loopback, reads must too (the silo refuses to start off loopback without one).
/// The comparison is constant-time over hashes, so neither the token's content nor its length leaks by timing.
/// </summary>
internal sealed class ApiToken(ChassisOptions options)
{
    private readonly byte[]? _hash = string.IsNullOrEmpty(options.ApiToken) ? null : Hash(options.ApiToken);
    private readonly bool _loopback = ChassisOptionsValidator.IsLoopback(new Uri(options.ApiUrl));

    /// <summary>Null when the request may pass; otherwise why it may not.</summary>
    public string? Refusal(HttpRequest request)
    {
        if (_hash is null || (_loopback && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))))
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return $"{request.Method} {request.Path} needs the management API token: send 'Authorization: Bearer <token>' (the silo's {ChassisOptions.SectionName}:ApiToken).";
        }

        return CryptographicOperations.FixedTimeEquals(_hash, Hash(header["Bearer ".Length..].Trim()))
            ? null
            : "The bearer token does not match the silo's " + ChassisOptions.SectionName + ":ApiToken.";
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
