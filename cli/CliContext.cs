using System.CommandLine;
using System.Text.Json;
using Redundancy.Orleans.Client;

namespace Redundancy.Orleans.Cli;

/// <summary>What one command needs: its parsed values, the API client, the console, output in JSON or as text.</summary>
internal sealed class CliContext(ParseResult parse, CliConsole console, CancellationToken ct) : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new(RedundancyJson.Options) { WriteIndented = true };
    private ChassisClient? _client;

    public CliConsole Console => console;

    public CancellationToken CancellationToken => ct;

    public bool Json => parse.GetValue(GlobalOptions.Json);

    /// <summary>The API client, created on first use (the command line was valid by then).</summary>
    public ChassisClient Client => _client ??= new ChassisClient(Api(), Token());

    public T? Get<T>(Option<T> option) => parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    public bool Has(Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>GET (or another method) on the API, returning its JSON document as it is.</summary>
    public Task<JsonElement> SendAsync(HttpMethod method, string path) => Client.SendJsonAsync(method, path, null, ct);

    /// <summary>Prints the API's document with --json, else the human rendering of it.</summary>
    public void Print(JsonElement document, Func<JsonElement, string> human)
    {
        if (Json)
        {
            WriteJson(document);
        }
        else
        {
            console.Out.Write(human(document));
        }
    }

    public void WriteJson(object value) => console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Indented));

    /// <summary>A compact JSON line (one document per line for --watch and --follow).</summary>
    public void WriteJsonLine(object value) => console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), RedundancyJson.Options));

    /// <summary>
    /// A destructive command goes on only with --yes or an operator's yes at the terminal; without a terminal
    /// and without --yes it is refused (exit 2) before anything is sent.
    /// </summary>
    public void Confirm(string what)
    {
        if (parse.GetValue(GlobalOptions.Yes))
        {
            return;
        }

        if (console.Input is null)
        {
            throw new UsageException($"{what}: this is destructive; add --yes to confirm (there is no terminal to ask).");
        }

        console.Error.Write($"{what}. Go on? [y/N] ");
        var answer = console.Input.ReadLine()?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotConfirmedException("Not confirmed; nothing was changed.");
        }
    }

    private Uri Api()
    {
        if (parse.GetValue(GlobalOptions.Api) is { } api)
        {
            return api;
        }

        return console.Environment(GlobalOptions.ApiVariable) is { Length: > 0 } text
            ? GlobalOptions.ParseApi(text, GlobalOptions.ApiVariable, null)!
            : GlobalOptions.DefaultApi;
    }

    private string? Token() =>
        parse.GetValue(GlobalOptions.Token) is { Length: > 0 } token ? token : console.Environment(GlobalOptions.TokenVariable) is { Length: > 0 } env ? env : null;

    public void Dispose() => _client?.Dispose();
}
