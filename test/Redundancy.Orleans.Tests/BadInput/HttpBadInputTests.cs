using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Client;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;
using Redundancy.Orleans.Tests.MultiProcess;
using Xunit;

namespace Redundancy.Orleans.Tests.BadInput;

/// <summary>
/// Every bad request to the management API gets its status and a problem detail that says what was wrong,
/// and leaves the chassis exactly as it was (cards, and every process's card, state, epoch and seq).
/// </summary>
[Collection(EmbeddedChassisCollection.Name)]
[Trait("Category", TestCategories.Cluster)]
public sealed class HttpBadInputTests(EmbeddedChassisFixture fixture)
{
    public static TheoryData<string> Names => new(HttpBadInputCorpus.Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Request_BadInput_AnswersProblemDetailsAndChangesNothing(string name)
    {
        var input = HttpBadInputCorpus.Cases[name];
        var before = await StableStateAsync(fixture.Chassis.Client);
        using var http = new HttpClient { BaseAddress = fixture.Chassis.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(new HttpMethod(input.Method), input.Path);
        if (input.Body is not null)
        {
            request.Content = new StringContent(input.Body, Encoding.UTF8, input.ContentType!);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(input.Status == response.StatusCode, $"{name}: expected {(int)input.Status}, got {(int)response.StatusCode}: {Short(body)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)input.Status, problem.GetProperty("status").GetInt32());
        var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        Assert.True(detail.Contains(input.Detail, StringComparison.Ordinal), $"{name}: detail should contain \"{input.Detail}\" but is \"{Short(detail)}\"");

        Assert.Equal(before, await StateAsync(fixture.Chassis.Client));
    }

    /// <summary>
    /// The chassis state a bad request must not change, once every process is ready and two reads a moment apart agree
    /// (earlier tests of the collection may still settle: a restart, a replica catching up).
    /// </summary>
    internal static async Task<string> StableStateAsync(ChassisClient api)
    {
        var previous = "";
        var stable = await Eventually.WaitAsync(async () =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                var status = await api.GetChassisAsync();
                var (before, now) = (previous, State(status));
                previous = now;
                // A card an earlier test killed or stopped still shows alive until membership decides: wait for that too.
                var notRunning = status.Cards.Where(c => c.Alive && !Runs(c.ProcessId)).Select(c => c.CardId).ToList();
                return (Before: before, Now: now, Ready: status.Processes.All(p => p.State == ProcessState.Ready), NotRunning: notRunning);
            },
            s => s.Ready && s.NotRunning.Count == 0 && s.Before == s.Now, ChassisChecks.FailoverTimeout,
            "every process ready, every card shown alive running, and the chassis state unchanged across two reads before the bad input",
            s => $"{s.Before} -> {s.Now}; shown alive but not running: [{string.Join(", ", s.NotRunning)}]");
        return stable.Now;
    }

    /// <summary>True unless the card's process is gone, a zombie, or stopped (SIGSTOP) on this Linux machine.</summary>
    private static bool Runs(int? pid)
    {
        if (pid is not { } p || !OperatingSystem.IsLinux())
        {
            return true;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{p}/stat");
            var state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('T' or 't' or 'Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    internal static async Task<string> StateAsync(ChassisClient api) => State(await api.GetChassisAsync());

    private static string State(ChassisStatus status) =>
        string.Join("; ", status.Cards.Select(c => $"{c.CardId}:{c.Role}:{c.Slot}:{c.Alive}"))
        + " | " + string.Join("; ", status.Processes.Select(p => $"{p.Name}@{p.CardId}:{p.State}:e{p.Epoch}:s{p.Seq}:{p.StateSize}"));

    private static string Short(string text) => text.Length > 400 ? text[..400] + "..." : text;
}
