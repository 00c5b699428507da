using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Receiver.Internal;

/// <summary>Reads typed payloads with the configured serializer options; built once per options.</summary>
internal sealed class WebhookJson
{
#if NET10_0_OR_GREATER
    // Set when JsonElement payloads can be parsed in one pass (JsonElement.Parse) with the same rules as the serializer.
    private readonly JsonDocumentOptions? _elementOptions;
#endif

    private WebhookJson(JsonSerializerOptions options)
    {
        Options = options;
#if NET10_0_OR_GREATER
        _elementOptions = ElementOptions(options);
#endif
    }

    /// <summary>Gets the options payloads are read with (they have a type info resolver).</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>Prepares the configured options (see <see cref="Prepare"/>) for reading payloads.</summary>
    public static WebhookJson Create(JsonSerializerOptions configured) => new(Prepare(configured));

    /// <summary>The options a receiver reads payloads with: its own, else its scheme's defaults (snake_case for providers).</summary>
    public static JsonSerializerOptions Configured(WebhookReceiverOptions options) =>
        options.JsonSerializerOptions
        ?? WebhookReceiverOptions.DefaultJsonSerializerOptions(options.CustomScheme is null ? options.Scheme : WebhookReceiverScheme.StandardWebhooks);

    /// <summary>
    /// Returns options that have a type info resolver: the given ones when they have one, else a copy with the
    /// reflection resolver (as <c>JsonSerializer</c> itself does) when the app allows reflection.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reflection is used only when JsonSerializer.IsReflectionEnabledByDefault; trimmed and AOT apps set a TypeInfoResolver.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reflection is used only when JsonSerializer.IsReflectionEnabledByDefault; trimmed and AOT apps set a TypeInfoResolver.")]
    public static JsonSerializerOptions Prepare(JsonSerializerOptions options) =>
        options.TypeInfoResolver is null && JsonSerializer.IsReflectionEnabledByDefault
            ? new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }
            : options;

    /// <summary>Reads a payload; throws <see cref="JsonException"/> when it is not JSON or not of type <typeparamref name="T"/>.</summary>
    public T? Deserialize<T>(ReadOnlySpan<byte> json)
    {
#if NET10_0_OR_GREATER
        if (typeof(T) == typeof(JsonElement) && _elementOptions is { } documentOptions)
        {
            // The serializer reads a JsonElement in two passes (measure, then parse a copy); Parse does one.
            var element = JsonElement.Parse(json, documentOptions);
            return Unsafe.As<JsonElement, T>(ref element);
        }
#endif
        return JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));
    }

#if NET10_0_OR_GREATER
    /// <summary>The reader rules the serializer applies to a JsonElement, or <see langword="null"/> when a custom converter reads it.</summary>
    private static JsonDocumentOptions? ElementOptions(JsonSerializerOptions options)
    {
        try
        {
            if (options.GetTypeInfo(typeof(JsonElement)).Converter.GetType() != JsonMetadataServices.JsonElementConverter.GetType())
            {
                return null;
            }
        }
        catch (NotSupportedException)
        {
            // The resolver does not know JsonElement: the serializer path reports it as before.
            return null;
        }

        return new JsonDocumentOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = options.MaxDepth,
            AllowDuplicateProperties = options.AllowDuplicateProperties,
        };
    }
#endif
}
