using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Redundancy.Orleans.ManagementApi.Configuration;

namespace Redundancy.Orleans.ManagementApi;

/// <summary>
/// The management API's bearer token (<see cref="ManagementApiOptions.Token"/>). With a token, every mutating request must
/// carry it; reads too when <see cref="ManagementApiOptions.TokenRequiredForReads"/>. The comparison is constant-time over
/// hashes, so neither the token's content nor its length leaks by timing.
/// </summary>
internal sealed class ApiToken(IOptions<ManagementApiOptions> options)
{
    private readonly byte[]? _hash = string.IsNullOrEmpty(options.Value.Token) ? null : Hash(options.Value.Token);
    private readonly ManagementApiOptions _options = options.Value;

    /// <summary>Null when the request may pass; otherwise why it may not.</summary>
    public string? Refusal(HttpRequest request)
    {
        if (_hash is null || (!_options.TokenRequiredForReads && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))))
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return $"{request.Method} {request.Path} needs the management API token: send 'Authorization: Bearer <token>' (the silo's {_options.TokenSetting}).";
        }

        return CryptographicOperations.FixedTimeEquals(_hash, Hash(header["Bearer ".Length..].Trim()))
            ? null
            : $"The bearer token does not match the silo's {_options.TokenSetting}.";
    }

    /// <summary>The group filter: a refused request answers 401 with a problem detail before its endpoint runs.</summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (Refusal(context.HttpContext.Request) is { } refusal)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return ManagementResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", refusal);
        }

        return await next(context);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
