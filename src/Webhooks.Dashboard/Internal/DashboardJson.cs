using System.Text.Json.Serialization;

namespace Webhooks.Dashboard.Internal;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DashboardJson : JsonSerializerContext;
