using System.Net.Http.Json;
using System.Text.Json;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Client;

/// <summary>
/// Client of a chassis's management HTTP API: status, events, audits, cards, fault injection, upgrades. An application's
/// own endpoints (the routing application's routes: <c>Redundancy.Orleans.Routing.Client</c>) are reached through
/// <see cref="GetAsync{T}"/> and <see cref="SendAsync{T}"/>, with the same errors.
/// </summary>
public sealed partial class ChassisClient(HttpClient http) : IDisposable
{
    /// <summary>Connects to the API at <paramref name="baseUrl"/> (for example <c>http://127.0.0.1:8080</c>).</summary>
    /// <param name="baseUrl">The API's absolute http(s) address.</param>
    /// <param name="apiToken">The chassis's <c>Chassis:ApiToken</c>, sent as a bearer token; null when the API needs none.</param>
    public ChassisClient(Uri baseUrl, string? apiToken = null) : this(CreateHttpClient(baseUrl, apiToken))
    {
    }

    /// <summary>The API's address.</summary>
    public Uri? BaseAddress => http.BaseAddress;

    /// <summary>Cards and processes.</summary>
    public Task<ChassisStatus> GetChassisAsync(CancellationToken ct = default) => GetAsync<ChassisStatus>("api/chassis", ct);

    /// <summary>Injects a crash into a process (optionally with poisoned state).</summary>
    public Task CrashAsync(string process, bool poison = false, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"{ProcessPath(process)}/crash{(poison ? "?poison=true" : "")}", null, ct);

    /// <summary>
    /// Releases a quarantined or unavailable process (operator action): it restarts and restores from its replicas, or —
    /// with <paramref name="rebuild"/> — discards its replicated state and rebuilds it from its associated processes.
    /// </summary>
    public Task ReleaseAsync(string process, bool rebuild = false, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"{ProcessPath(process)}/release{(rebuild ? "?rebuild=true" : "")}", null, ct);

    /// <summary>Fault injection: blocks grain calls between two cards (a partition; membership still sees both alive).</summary>
    public Task PartitionAsync(string card, string from, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"api/cards/{Uri.EscapeDataString(card)}/partition?from={Uri.EscapeDataString(from)}", null, ct);

    /// <summary>Fault injection: heals a partition between two cards.</summary>
    public Task HealPartitionAsync(string card, string from, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"api/cards/{Uri.EscapeDataString(card)}/partition?from={Uri.EscapeDataString(from)}", null, ct);

    /// <summary>Fault injection: delays every incoming grain call on a card (0: no delay).</summary>
    public Task SlowCardAsync(string card, int delayMs, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"api/cards/{Uri.EscapeDataString(card)}/slow?ms={delayMs}", null, ct);

    /// <summary>Fault injection: the process's card crashes (SIGKILL) at a named point of the process's next commit.</summary>
    public Task ArmCrashPointAsync(string process, string point, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"{ProcessPath(process)}/crash-point?at={Uri.EscapeDataString(point)}", null, ct);

    /// <summary>Chassis events (failovers with phase timings) with an id above <paramref name="after"/>, oldest first (the API's default page: 1000).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative; nothing is sent.</exception>
    public Task<IReadOnlyList<ChassisEvent>> GetEventsAsync(long after = 0, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        return GetAsync<IReadOnlyList<ChassisEvent>>($"api/events?after={after}", ct);
    }

    /// <summary>One page of the event history: up to <paramref name="limit"/> events with an id above <paramref name="after"/>, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative or <paramref name="limit"/> below 1; nothing is sent.</exception>
    public Task<IReadOnlyList<ChassisEvent>> GetEventsAsync(long after, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return GetAsync<IReadOnlyList<ChassisEvent>>($"api/events?after={after}&limit={limit}", ct);
    }

    /// <summary>A process's audit history (every restore and what its audit found): up to <paramref name="limit"/> audits with an id above <paramref name="after"/>, oldest first.</summary>
    /// <exception cref="ArgumentException">The name is empty, <paramref name="after"/> negative or <paramref name="limit"/> below 1; nothing is sent.</exception>
    public Task<IReadOnlyList<Audit.AuditRecord>> GetAuditsAsync(string process, long after = 0, int limit = 1000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return GetAsync<IReadOnlyList<Audit.AuditRecord>>($"{ProcessPath(process)}/audits?after={after}&limit={limit}", ct);
    }

    /// <summary>Kills a card's process with SIGKILL (embedded chassis).</summary>
    public Task KillCardAsync(string card, CancellationToken ct = default) => PostCardAsync(card, "kill", ct);

    /// <summary>Hangs a card's process with SIGSTOP (embedded chassis).</summary>
    public Task HangCardAsync(string card, CancellationToken ct = default) => PostCardAsync(card, "hang", ct);

    /// <summary>Resumes a hung card with SIGCONT (embedded chassis).</summary>
    public Task ResumeCardAsync(string card, CancellationToken ct = default) => PostCardAsync(card, "resume", ct);

    /// <summary>Declares a card dead at once (membership TryKill), when something else already knows it is gone.</summary>
    public Task DeclareCardDeadAsync(string card, CancellationToken ct = default) => PostCardAsync(card, "declare-dead", ct);

    /// <summary>Starts a replacement card, which joins as a spare; returns its id.</summary>
    public async Task<string> AddCardAsync(CancellationToken ct = default) =>
        (await SendAsync<Management.CardStarted>(HttpMethod.Post, "api/cards", null, ct)).Card;

    private Task PostCardAsync(string card, string action, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(card);
        return SendAsync<JsonElement>(HttpMethod.Post, $"api/cards/{Uri.EscapeDataString(card)}/{action}", null, ct);
    }

    private static string CardPath(string card, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(card))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(card, name);
        return $"api/cards/{Uri.EscapeDataString(card)}";
    }

    /// <summary>The API path of a process (<c>api/processes/{name}</c>, escaped), for an application's own endpoints.</summary>
    /// <param name="process">The process name.</param>
    /// <param name="name">The caller's argument name, for the error message.</param>
    /// <exception cref="ArgumentException">No process name.</exception>
    public static string ProcessPath(string process, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(process))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(process, name);
        return $"api/processes/{Uri.EscapeDataString(process)}";
    }

    private static HttpClient CreateHttpClient(Uri baseUrl, string? apiToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The API address must be an absolute http(s) URL (got '{baseUrl}').", nameof(baseUrl));
        }

        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (!string.IsNullOrEmpty(apiToken))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiToken);
        }

        return http;
    }

    /// <summary>
    /// Polls the chassis until <paramref name="condition"/> holds; on timeout throws with
    /// <paramref name="what"/> and the last status, so the failure says what was expected and what was seen.
    /// </summary>
    public async Task<ChassisStatus> WaitForAsync(Func<ChassisStatus, bool> condition, TimeSpan timeout, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        ChassisStatus? last = null;
        Exception? lastError = null;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            try
            {
                last = await GetChassisAsync(cts.Token);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is HttpRequestException or ChassisApiException or TaskCanceledException)
            {
                lastError = e;
                if (cts.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        while (await WaitTick(timer, cts.Token));

        ct.ThrowIfCancellationRequested();
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}. Last seen: {Describe(last)}{(lastError is null ? "" : $"; last error: {lastError.Message}")}");
    }

    /// <summary>A one-line summary of a status, for messages.</summary>
    public static string Describe(ChassisStatus? status) => status is null
        ? "no status"
        : "cards [" + string.Join(", ", status.Cards.Select(c => $"{c.CardId}:{c.Role}{(c.Slot is { } s ? "@" + s : "")}:{(c.Alive ? "up" : "down")}")) + "], processes ["
          + string.Join(", ", status.Processes.Select(p => $"{p.Name}:{p.State}@{p.CardId ?? "?"} seq {p.Seq} {(p.Protected ? "protected" : "UNPROTECTED")}"
              + $" replicas [{string.Join(" ", p.Replicas.Select(r => $"{r.CardId ?? "?"}:{r.AckedSeq}{(r.InSync ? "" : "!")}"))}]{(p.Reason is { } why ? $" ({why})" : "")}")) + "]"
          + (status.ChassisManager is { } m ? $", chassis manager {m.State}@{m.CardId ?? "?"}" : "");

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private static async Task<bool> WaitTick(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends a request to the API and returns its JSON document as it is, for tools that show the API's own answer
    /// (<c>redundancy --json</c>); a refusal throws <see cref="ChassisApiException"/> like every other call.
    /// </summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path and query relative to the API's address, for example <c>api/chassis</c>.</param>
    /// <param name="body">Sent as JSON when not null.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="ArgumentException">The path is empty or absolute; nothing is sent.</exception>
    public Task<JsonElement> SendJsonAsync(HttpMethod method, string path, object? body = null, CancellationToken ct = default) =>
        SendAsync<JsonElement>(method, path, body, ct);

    /// <summary>Reads a JSON document from the API as <typeparamref name="T"/>; a refusal throws <see cref="ChassisApiException"/>.</summary>
    /// <param name="path">Path and query relative to the API's address, for example <c>api/chassis</c>.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="ArgumentException">The path is empty or absolute; nothing is sent.</exception>
    public Task<T> GetAsync<T>(string path, CancellationToken ct = default) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    /// <summary>Sends a request (with <paramref name="body"/> as JSON when not null) and reads the answer as <typeparamref name="T"/>; a refusal throws <see cref="ChassisApiException"/>.</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path and query relative to the API's address.</param>
    /// <param name="body">Sent as JSON when not null.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="ArgumentException">The path is empty or absolute; nothing is sent.</exception>
    public Task<T> SendAsync<T>(HttpMethod method, string path, object? body = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Uri.TryCreate(path, UriKind.Absolute, out _) || path.StartsWith('/'))
        {
            throw new ArgumentException($"The path must be relative to the API's address, like 'api/chassis' (got '{path}').", nameof(path));
        }

        return SendCoreAsync<T>(method, path, body, ct);
    }

    private async Task<T> SendCoreAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: RedundancyJson.Options);
        }

        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            string title = response.ReasonPhrase ?? "error", detail = "";
            string? type = null;
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(RedundancyJson.Options, ct);
                title = problem.TryGetProperty("title", out var t) ? t.GetString() ?? title : title;
                detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
                type = problem.TryGetProperty("type", out var y) ? y.GetString() : null;
            }
            catch (JsonException)
            {
                detail = await response.Content.ReadAsStringAsync(ct);
            }

            throw new ChassisApiException(response.StatusCode, title, detail, type);
        }

        return (await response.Content.ReadFromJsonAsync<T>(RedundancyJson.Options, ct))!;
    }
}
