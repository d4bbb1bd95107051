using System.Diagnostics;

namespace Redundancy.Orleans.Testing;

/// <summary>Polls a condition with a deadline; a timeout says what was awaited and what was last seen.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what, Func<T, string>? describe = null)
    {
        var watch = Stopwatch.StartNew();
        T? last = default;
        Exception? lastError = null;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        do
        {
            try
            {
                last = await probe();
                lastError = null;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastError = e;
            }
        }
        while (watch.Elapsed < timeout && await timer.WaitForNextTickAsync());

        var seen = last is null ? "nothing" : describe?.Invoke(last) ?? last.ToString();
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}. Last seen: {seen}{(lastError is null ? "" : "; last error: " + lastError.GetType().Name + ": " + lastError.Message)}");
    }
}
