using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Webhooks.Samples.Tests;

/// <summary>Every relative link and <c>#anchor</c> in README.md and docs/*.md resolves; the README stays a landing page.</summary>
public sealed partial class DocsLinkTests
{
    public static TheoryData<string> Pages()
    {
        var root = Repository.Root;
        var pages = new TheoryData<string> { "README.md" };
        foreach (var page in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(root, page).Replace('\\', '/'));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_RelativeLinksAndAnchors_Resolve(string page)
    {
        var broken = BrokenLinks(Path.Combine(Repository.Root, page));

        broken.Should().BeEmpty($"every relative link and #anchor in {page} must point at a file, folder or heading that exists");
    }

    [Fact]
    public void Readme_IsALandingPage_AtMost400LinesAndLinksEveryDocsPage()
    {
        var readme = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));

        readme.Length.Should().BeLessThanOrEqualTo(400);
        foreach (var page in new[] { "sending", "stores", "receiving", "security", "telemetry", "configuration", "benchmarks", "comparison" })
        {
            readme.Should().Contain(line => line.Contains($"(docs/{page}.md)", StringComparison.Ordinal), $"the README links docs/{page}.md");
        }
    }

    [Fact]
    public void BrokenLinks_MissingFileMissingAnchorAndFencedHeading_AreReported()
    {
        var directory = Directory.CreateTempSubdirectory("webhooks-docs-links-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "other.md"), "# Other page\n\n## Real `heading` (here)\n");
            var page = Path.Combine(directory.FullName, "page.md");
            File.WriteAllText(page, """
                # Page

                ```sh
                # not a heading
                ```

                [ok](other.md) [ok](other.md#real-heading-here) [ok](#page) [ok](https://example.com/x.md)
                [bad](missing.md) [bad](other.md#nope) [bad](#not-a-heading) `[code](ignored.md)`
                """);

            var broken = BrokenLinks(page);

            broken.Should().BeEquivalentTo(["missing.md", "other.md#nope", "#not-a-heading"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("Signing and verifying (Webhooks.Core)", "signing-and-verifying-webhookscore")]
    [InlineData("What bounds the misses, and where the fix belongs", "what-bounds-the-misses-and-where-the-fix-belongs")]
    [InlineData("Provider schemes side by side (Webhooks.Benchmarks, `Comparisons/`)", "provider-schemes-side-by-side-webhooksbenchmarks-comparisons")]
    [InlineData("Receiver: requests per second, GitHub-signed pull_request (23564 B)", "receiver-requests-per-second-github-signed-pull_request-23564-b")]
    public void Slug_Heading_MatchesGitHubsAnchor(string heading, string anchor) =>
        Slug(heading).Should().Be(anchor);

    private static List<string> BrokenLinks(string page)
    {
        var broken = new List<string>();
        foreach (var target in Links(File.ReadAllText(page)))
        {
            if (UriScheme().IsMatch(target))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var path = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var file = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                broken.Add(target);
            }
            else if (anchor is not null && (!file.EndsWith(".md", StringComparison.Ordinal) || !Anchors(File.ReadAllText(file)).Contains(anchor)))
            {
                broken.Add(target);
            }
        }

        return broken;
    }

    private static IEnumerable<string> Links(string markdown)
    {
        foreach (var line in OutsideFences(markdown))
        {
            foreach (Match link in Link().Matches(InlineCode().Replace(line, string.Empty)))
            {
                yield return link.Groups["target"].Value;
            }
        }
    }

    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in OutsideFences(markdown))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    private static IEnumerable<string> OutsideFences(string markdown)
    {
        var fenced = false;
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (!fenced)
            {
                yield return line;
            }
        }
    }

    // GitHub's heading ids: the text without markup, lower-cased, punctuation other than '-' and '_' dropped,
    // spaces turned into '-'.
    private static string Slug(string heading)
    {
        var text = LinkText().Replace(heading, "${text}").Replace("`", string.Empty, StringComparison.Ordinal).Trim();
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    [GeneratedRegex(@"\[(?:[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkText();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex UriScheme();
}
