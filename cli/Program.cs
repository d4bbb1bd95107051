using Redundancy.Orleans.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C ends the command cleanly (a watch, a wait, a campaign step); a second one kills the process.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};
return await Cli.RunAsync(args, CliConsole.FromSystem(), cancel.Token);
