using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Redundancy.Orleans.Cards;
using Redundancy.Orleans.Chassis;
using Redundancy.Orleans.Monitoring.ChassisView;
using Redundancy.Orleans.Processes;
using Redundancy.Orleans.Testing;

namespace Redundancy.Orleans.Tests.Dashboard;

/// <summary>The chassis view alone on a free loopback port, with a fake chassis and fake actions: no silo needed.</summary>
internal sealed class ChassisViewHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChassisViewHost(WebApplication app, Uri url, FakeActions actions)
    {
        _app = app;
        Url = url;
        Actions = actions;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url { get; }

    public FakeActions Actions { get; }

    public HttpClient Http { get; }

    public static async Task<ChassisViewHost> StartAsync(ChassisViewOptions options)
    {
        var url = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        var actions = new FakeActions();
        builder.Services.AddSingleton<IChassisActions>(actions);
        builder.Services.AddSingleton<IChassisSource, FakeSource>();
        builder.Services.AddChassisView(options);
        var app = builder.Build();
        app.MapChassisView();
        await app.StartAsync();
        return new ChassisViewHost(app, url, actions);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }

    internal sealed class FakeActions : IChassisActions
    {
        public List<string> Performed { get; } = [];

        public Task CrashProcessAsync(string process, CancellationToken ct) => Record("crash " + process);

        public Task KillCardAsync(string card, CancellationToken ct) => Record("kill " + card);

        public async Task<string> AddCardAsync(CancellationToken ct)
        {
            await Record("add");
            return "spare-2";
        }

        private Task Record(string what)
        {
            lock (Performed)
            {
                Performed.Add(what);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class FakeSource : IChassisSource
    {
        public Task<ChassisStatus> GetStatusAsync(CancellationToken ct) => Task.FromResult(new ChassisStatus
        {
            Cards = [new CardInfo { CardId = "card-1", Role = CardRoles.Line, Slot = 1, Alive = true }],
            Processes = [new ProcessStatus { Name = "bgp-1", Slot = 1, CardId = "card-1", State = ProcessState.Ready, Epoch = 1, Seq = 7, Protected = true }],
        });

        public Task<IReadOnlyList<ChassisEvent>> GetEventsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ChassisEvent>>([]);
    }
}
