using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Webhooks.Dashboard.Internal;

/// <summary>
/// Builds a page. Tag and attribute names are constants of this assembly; every value (text or attribute) goes through
/// <see cref="HtmlEncoder"/>, so nothing from a payload, header, URL or response can open markup.
/// </summary>
internal sealed class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;
    private readonly StringBuilder _sb = new(16 * 1024);

    /// <summary>Opens an element; attributes with a null value are left out, an empty value is written bare.</summary>
    public Html Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _sb.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null)
            {
                continue;
            }

            _sb.Append(' ').Append(name);
            if (value.Length > 0)
            {
                _sb.Append("=\"");
                Encoder.Encode(new StringWriter(_sb, CultureInfo.InvariantCulture), value);
                _sb.Append('"');
            }
        }

        _sb.Append('>');
        return this;
    }

    public Html Close(string tag)
    {
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Writes encoded text.</summary>
    public Html Text(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Encoder.Encode(new StringWriter(_sb, CultureInfo.InvariantCulture), value);
        }

        return this;
    }

    public Html Text(long value) => Text(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes an element holding encoded text.</summary>
    public Html Element(string tag, string? text, params (string Name, string? Value)[] attributes) => Open(tag, attributes).Text(text).Close(tag);

    public Html Link(string href, string? text, string? cssClass = null) => Element("a", text, ("href", href), ("class", cssClass));

    /// <summary>Writes markup that is a constant of this assembly (never a value from outside).</summary>
    public Html Markup(string constant)
    {
        _sb.Append(constant);
        return this;
    }

    /// <summary>A table row of cells holding encoded text.</summary>
    public Html Row(params string?[] cells)
    {
        Open("tr");
        foreach (var cell in cells)
        {
            Element("td", cell);
        }

        return Close("tr");
    }

    /// <summary>A definition list entry.</summary>
    public Html Term(string term, string? value, string? cssClass = null) => Element("dt", term).Element("dd", value ?? "-", ("class", cssClass));

    public override string ToString() => _sb.ToString();
}
