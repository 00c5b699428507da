using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Webhooks.Management.Internal;

/// <summary>
/// The API's own JSON options, whatever the app's global ones say: web names, strict numbers, enums as strings, unknown
/// request members refused, nulls left out of answers. Source-generated, so reading and writing need no reflection.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(CreateEndpointRequest))]
[JsonSerializable(typeof(UpdateEndpointRequest))]
[JsonSerializable(typeof(DisableEndpointRequest))]
[JsonSerializable(typeof(RotateSecretRequest))]
[JsonSerializable(typeof(RecoverRequest))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(EndpointResponse))]
[JsonSerializable(typeof(EndpointWithSecretResponse))]
[JsonSerializable(typeof(PageResponse<EndpointResponse>))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(PageResponse<MessageResponse>))]
[JsonSerializable(typeof(DeliveryResponse))]
[JsonSerializable(typeof(DeliveryDetailResponse))]
[JsonSerializable(typeof(PageResponse<DeliveryResponse>))]
[JsonSerializable(typeof(PageResponse<AttemptResponse>))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(RecoverResponse))]
[JsonSerializable(typeof(EventTypeResponse))]
[JsonSerializable(typeof(EventTypeListResponse))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class ManagementJson : JsonSerializerContext;
