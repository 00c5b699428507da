using System.Text;

namespace Webhooks.LoadHarness.Reporting;

/// <summary>A titled table, printed aligned to the console and written as markdown.</summary>
internal sealed class ResultTable(string title, params string[] columns)
{
    private readonly List<string[]> _rows = [];

    public string Title { get; } = title;

    public List<string> Notes { get; } = [];

    /// <summary>Correctness checks that failed (a smoke run exits non-zero when there are any).</summary>
    public List<string> Failures { get; } = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteText(TextWriter output)
    {
        var widths = new int[columns.Length];
        foreach (var row in _rows.Prepend(columns))
        {
            for (var c = 0; c < widths.Length; c++)
            {
                widths[c] = Math.Max(widths[c], c < row.Length ? row[c].Length : 0);
            }
        }

        output.WriteLine();
        output.WriteLine(Title);
        foreach (var row in _rows.Prepend(columns))
        {
            var line = new StringBuilder();
            for (var c = 0; c < widths.Length; c++)
            {
                var cell = c < row.Length ? row[c] : "";
                line.Append(c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c])).Append("  ");
            }

            output.WriteLine(line.ToString().TrimEnd());
        }

        foreach (var note in Notes)
        {
            output.WriteLine("  " + note);
        }
    }

    public void WriteMarkdown(TextWriter output)
    {
        output.WriteLine($"### {Title}");
        output.WriteLine();
        output.WriteLine("| " + string.Join(" | ", columns) + " |");
        output.WriteLine("|" + string.Concat(columns.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in _rows)
        {
            output.WriteLine("| " + string.Join(" | ", row) + " |");
        }

        output.WriteLine();
        foreach (var note in Notes)
        {
            output.WriteLine("- " + note);
        }

        output.WriteLine();
    }
}
