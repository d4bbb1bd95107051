using System.Diagnostics;

namespace Redundancy.Orleans.Tests.Support;

/// <summary>
/// Records the events of one <see cref="DiagnosticListener"/> (by name) in this process from the moment it starts, and
/// waits for one that matches: a test waits on what happened instead of polling for its effect.
/// </summary>
internal sealed class DiagnosticWatch : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _listenerName;
    private readonly List<(string Name, object? Payload)> _seen = [];
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DiagnosticWatch(string listenerName) => _listenerName = listenerName;

    public static DiagnosticWatch Start(string listenerName)
    {
        var watch = new DiagnosticWatch(listenerName);
        watch._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(watch));
        return watch;
    }

    /// <summary>The first event named <paramref name="name"/> whose payload matches, seen since the watch started.</summary>
    public async Task<T> WaitAsync<T>(string name, Func<T, bool> match, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach (var (n, payload) in _seen)
                {
                    if (n == name && payload is T t && match(t))
                    {
                        return t;
                    }
                }

                changed = _changed.Task;
            }

            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                lock (_lock)
                {
                    throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what} (event '{name}' of '{_listenerName}'). " +
                        $"Saw {_seen.Count} event(s): {string.Join("; ", _seen.TakeLast(8).Select(e => $"{e.Name} {e.Payload}"))}");
                }
            }
        }
    }

    /// <summary>Every event named <paramref name="name"/> whose payload matches, in the order they were seen.</summary>
    public IReadOnlyList<T> Seen<T>(string name, Func<T, bool> match)
    {
        lock (_lock)
        {
            return [.. _seen.Where(e => e.Name == name && e.Payload is T t && match(t)).Select(e => (T)e.Payload!)];
        }
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == _listenerName)
        {
            lock (_lock)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        lock (_lock)
        {
            _seen.Add((value.Key, value.Value));
            var changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.SetResult();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }
        }
    }
}
