using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Api;

/// <summary>
/// The OpenAPI document served at /openapi/v1.json describes exactly the endpoints the management API maps, each
/// with its typed answer and problem details for every error; docs/api.md lists exactly those operations; and a
/// failure nobody anticipated still answers a problem with a detail.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed partial class OpenApiTests(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Document_DescribesExactlyTheEndpointsTheApiMaps()
    {
        var described = Operations(await DocumentAsync()).Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal).ToList();

        Assert.True(api.MappedEndpoints.Count >= 20, string.Join(", ", api.MappedEndpoints));
        Assert.Equal(api.MappedEndpoints, described);
    }

    [Fact]
    public async Task EveryOperation_AnswersATypedDocument_AndProblemDetailsForEveryError()
    {
        var problems = new List<string>();
        foreach (var (method, path, operation) in Operations(await DocumentAsync()))
        {
            var name = $"{method} {path}";
            if (!operation.TryGetProperty("operationId", out _) || !operation.TryGetProperty("summary", out _))
            {
                problems.Add($"{name}: no operationId or summary");
            }

            if (name is "POST /api/processes/{name}/routes" or "PUT /api/upgrade/campaign"
                && !(operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out _)))
            {
                problems.Add($"{name}: its JSON body is not described");
            }

            var responses = operation.GetProperty("responses");
            if (!responses.TryGetProperty("200", out var ok) || !ok.TryGetProperty("content", out var content)
                || !content.TryGetProperty("application/json", out var json) || !json.TryGetProperty("schema", out _))
            {
                problems.Add($"{name}: no typed 200 answer");
            }

            foreach (var status in new[] { "401", "500", "503" }.Where(s => !responses.TryGetProperty(s, out _)))
            {
                problems.Add($"{name}: {status} is not described");
            }

            foreach (var error in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = error.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/problem+json", out var p) && p.TryGetProperty("schema", out var s)
                    ? s.GetProperty("$ref").GetString()
                    : null;
                if (schema != "#/components/schemas/ProblemDetails")
                {
                    problems.Add($"{name}: {error.Name} is not a problem detail ({schema ?? "no application/problem+json schema"})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task DocsApiTable_ListsExactlyTheDocumentsOperations()
    {
        var document = Operations(await DocumentAsync()).Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal).ToList();
        var table = TableRow().Matches(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "api.md")))
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(document, table);
    }

    [Theory]
    [InlineData("GET", "/api/chassis")]
    [InlineData("POST", "/api/cards/card-1/declare-dead")]
    [InlineData("GET", "/api/events?after=3")]
    public async Task UnanticipatedFailure_IsAProblemWithADetail_NeverAnEmpty500(string method, string path)
    {
        using var response = await api.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"{method} {path.Split('?')[0]} failed: NoClusterException: no cluster in this test host", detail, StringComparison.Ordinal);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await api.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject()
                .Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch")
                .Select(o => (o.Name.ToUpperInvariant(), p.Name, o.Value)));

    /// <summary>A row of docs/api.md's endpoint table: <c>| `GET /api/processes/{name}` | ... |</c> (a query part may follow the path).</summary>
    [GeneratedRegex(@"^\| `(GET|POST|PUT|DELETE|PATCH) (/api/[^`?\[ ]*)", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
