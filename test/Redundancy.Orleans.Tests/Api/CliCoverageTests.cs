using System.Net;
using System.Text.Json;
using Redundancy.Orleans.Cli;
using Redundancy.Orleans.History;
using Redundancy.Orleans.Testing;
using Xunit;

namespace Redundancy.Orleans.Tests.Api;

/// <summary>
/// Every operation of the OpenAPI document the real API host serves has a CLI verb, and no verb names an operation
/// the document lacks: a new endpoint without a verb fails here. The verbs' operations are what each command
/// records when it is made (<see cref="Verbs.Operations"/>), which its help also names.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class CliCoverageTests(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task EveryApiOperation_HasACliVerb_AndEveryVerbsOperationExists()
    {
        var document = await OperationsAsync();
        var verbs = VerbsByOperation();

        var withoutVerb = document.Where(o => !verbs.ContainsKey(o)).ToList();
        var unknown = verbs.Where(v => !document.Contains(v.Key)).Select(v => $"{v.Key} (redundancy {string.Join(", redundancy ", v.Value)})").ToList();

        Assert.True(withoutVerb.Count == 0, "API operations without a CLI verb (add one and record it with Verbs.Calls): " + string.Join("; ", withoutVerb));
        Assert.True(unknown.Count == 0, "CLI verbs that name an operation the OpenAPI document does not have: " + string.Join("; ", unknown));
        Assert.True(document.Count >= 25, $"only {document.Count} operations in the document: {string.Join("; ", document)}");
    }

    [Fact]
    public async Task EveryVerbsHelp_NamesTheOperationsItCalls()
    {
        var (root, verbs) = Cli.Cli.Create(CliConsole.Plain(TextWriter.Null, TextWriter.Null));
        foreach (var (path, operations) in Commands(root, verbs.Operations))
        {
            using var output = new StringWriter();
            var code = await Cli.Cli.RunAsync([.. path.Split(' ').Skip(1), "--help"], output, TextWriter.Null, CancellationToken.None);

            Assert.Equal(ExitCodes.Ok, code);
            Assert.All(operations, o => Assert.Contains(o, output.ToString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void HistoryPageBound_IsTheApis() => Assert.Equal(ChassisHistory.MaxLimit, Cli.Commands.Arguments.MaxLimit);

    /// <summary>"METHOD /path" of every operation of /openapi/v1.json.</summary>
    private async Task<HashSet<string>> OperationsAsync()
    {
        using var response = await api.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch").Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Operation → the commands ("redundancy fault kill") that expose it.</summary>
    private static Dictionary<string, List<string>> VerbsByOperation()
    {
        var (root, verbs) = Cli.Cli.Create(CliConsole.Plain(TextWriter.Null, TextWriter.Null));
        return Commands(root, verbs.Operations)
            .SelectMany(c => c.Operations.Select(o => (Operation: o, c.Path)))
            .GroupBy(x => x.Operation, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Path).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Every command of the tree with its path, and the operations it records.</summary>
    private static IEnumerable<(string Path, string[] Operations)> Commands(System.CommandLine.Command command, Dictionary<System.CommandLine.Command, string[]> operations, string path = CliHelp.Name)
    {
        if (operations.TryGetValue(command, out var own))
        {
            yield return (path, own);
        }

        foreach (var sub in command.Subcommands.SelectMany(s => Commands(s, operations, $"{path} {s.Name}")))
        {
            yield return sub;
        }
    }
}
