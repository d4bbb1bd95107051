using System.Text;

namespace Redundancy.Orleans.Client;

/// <summary>
/// A plain-text table whose columns are as wide as their widest cell, so long card and process names never
/// shift the columns after them (the console status of the embedded chassis, the <c>redundancy</c> CLI).
/// </summary>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>A table with these column headers.</summary>
    public TextTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = headers;
    }

    /// <summary>Adds a row; missing cells are empty, extra cells are refused.</summary>
    public TextTable Add(params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cells.Length, _headers.Length, nameof(cells));
        _rows.Add([.. cells.Select(c => c ?? ""), .. Enumerable.Repeat("", _headers.Length - cells.Length)]);
        return this;
    }

    /// <summary>Header and rows, columns separated by two spaces, no trailing spaces.</summary>
    public override string ToString()
    {
        var widths = _headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        foreach (var row in _rows.Prepend(_headers))
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            sb.AppendLine(line.ToString().TrimEnd());
        }

        return sb.ToString();
    }
}
