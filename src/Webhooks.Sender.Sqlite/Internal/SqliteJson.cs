using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Sender.Sqlite.Internal;

/// <summary>A subscription secret as stored in the <c>secrets</c> JSON column.</summary>
/// <param name="Secret">The encoded secret (<c>whsec_...</c>).</param>
/// <param name="CreatedAt">Unix milliseconds.</param>
/// <param name="ExpiresAt">Unix milliseconds, or null.</param>
internal sealed record StoredSecret(string Secret, long CreatedAt, long? ExpiresAt);

/// <summary>The JSON shapes of the list and map columns (source-generated: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(StoredSecret[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext
{
    public static string Serialize(IEnumerable<string> values) =>
        JsonSerializer.Serialize(values as string[] ?? [.. values], Default.StringArray);

    public static string Serialize(IReadOnlyDictionary<string, string> values) =>
        JsonSerializer.Serialize(values as Dictionary<string, string> ?? new Dictionary<string, string>(values), Default.DictionaryStringString);

    public static string Serialize(Dictionary<string, int> values) => JsonSerializer.Serialize(values, Default.DictionaryStringInt32);

    public static string[] ReadStrings(string json) => JsonSerializer.Deserialize(json, Default.StringArray) ?? [];

    public static Dictionary<string, string> ReadMap(string json) =>
        JsonSerializer.Deserialize(json, Default.DictionaryStringString) ?? [];
}
