namespace Redundancy.Orleans.Monitoring.Health;

/// <summary>
/// <c>--probe URL</c>: the binary asks one of its own health endpoints and exits 0 when it answers 2xx, else 1. Container
/// health checks use it because the ASP.NET runtime image has no curl:
/// <c>dotnet Redundancy.Orleans.Silo.dll --probe http://127.0.0.1:9100/readyz</c>.
/// </summary>
public static class HealthProbe
{
    /// <summary>The argument that selects probe mode.</summary>
    public const string Argument = "--probe";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The probe's exit code when <paramref name="args"/> ask for a probe; null otherwise (run normally).</summary>
    public static async Task<int?> RunIfAskedAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != Argument)
        {
            return null;
        }

        if (args.Length != 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"usage: {Argument} <http(s) URL>, for example {Argument} http://127.0.0.1:9100{HealthEndpoints.ReadyPath} (got '{string.Join(' ', args.Skip(1))}').");
            return 2;
        }

        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Console.WriteLine($"{(int)response.StatusCode} {body}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{url} did not answer: {e.Message}");
            return 1;
        }
    }
}
