using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Redundancy.Orleans.Monitoring.ChassisView;

/// <summary>RFC 9457 problem details, as the management API answers.</summary>
internal static class Problems
{
    public static IResult Create(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
