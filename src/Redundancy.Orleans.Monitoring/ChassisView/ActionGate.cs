using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>
/// Decides whether an action request may run: actions must be enabled by configuration and the request
/// must carry <c>Authorization: Bearer &lt;token&gt;</c> equal to the configured token (compared in
/// constant time over hashes, so neither content nor length leaks through timing).
/// </summary>
internal sealed class ActionGate(ChassisViewOptions options)
{
    private readonly byte[]? _tokenHash = string.IsNullOrEmpty(options.Token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));

    /// <summary>Null when the request may run; otherwise the refusal to return.</summary>
    public IResult? Refusal(HttpRequest request)
    {
        if (!options.ActionsEnabled || _tokenHash is null)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Actions disabled",
                $"This dashboard is read-only: set {ChassisViewOptions.SectionName}:ActionsEnabled=true and {ChassisViewOptions.SectionName}:Token to allow actions.");
        }

        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized("The request carries no bearer token (Authorization: Bearer <token>).");
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenHash) ? null : Unauthorized("The bearer token is not the configured one.");
    }

    private static IResult Unauthorized(string detail) =>
        new WithHeader(Problems.Create(StatusCodes.Status401Unauthorized, "Unauthorized", detail), "WWW-Authenticate", "Bearer");

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
