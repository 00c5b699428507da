using System.Text.RegularExpressions;

namespace Webhooks.Testing.Shared;

/// <summary>Files of this repository, for tests that check docs against the code they quote.</summary>
public static partial class Repository
{
    /// <summary>Gets the repository root: the first folder above the test binaries that holds Webhooks.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Reads a file of the repository with "\n" line endings.</summary>
    /// <param name="relativePath">The path from the root, with '/' separators.</param>
    /// <returns>The text.</returns>
    public static string ReadText(string relativePath) =>
        File.ReadAllText(Path.Combine([Root, .. relativePath.Split('/')])).ReplaceLineEndings("\n");

    /// <summary>
    /// Reads the <c>// #region name</c> ... <c>// #endregion name</c> snippets of a source file, each as a docs page
    /// quotes it: the two levels of indentation of a method body removed.
    /// </summary>
    /// <param name="relativePath">The source file's path from the root.</param>
    /// <returns>The snippets by name, in order.</returns>
    public static IReadOnlyList<(string Name, string Body)> SnippetRegions(string relativePath) =>
        [.. Region().Matches(ReadText(relativePath)).Select(m => (
            m.Groups["name"].Value,
            string.Join('\n', m.Groups["body"].Value.TrimEnd('\n').Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()))))];

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Webhooks.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"// #region (?<name>\w+)\n(?<body>.*?)\s*// #endregion \k<name>", RegexOptions.Singleline)]
    private static partial Regex Region();
}
