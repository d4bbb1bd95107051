using Redundancy.Orleans.Chassis;

namespace Redundancy.Orleans.Bench.Harness;

/// <summary>The phases of completed failovers, as the chassis manager recorded them, one sample per failover.</summary>
internal sealed class FailoverPhases
{
    private readonly Dictionary<string, List<double>> _samples = new() { ["total"] = [], ["detect"] = [], ["place"] = [], ["restore"] = [], ["audit"] = [] };

    public void Add(ChassisEvent e)
    {
        _samples["total"].Add(e.TotalMs ?? double.NaN);
        _samples["detect"].Add(e.DetectMs ?? double.NaN);
        _samples["place"].Add(e.PlaceMs ?? double.NaN);
        _samples["restore"].Add(e.RestoreMs ?? double.NaN);
        _samples["audit"].Add(e.AuditMs ?? double.NaN);
    }

    /// <summary>Each phase's samples: total, detect, place, restore, audit.</summary>
    public IEnumerable<(string Phase, List<double> Samples)> Each() => _samples.Select(p => (p.Key, p.Value));
}
