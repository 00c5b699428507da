using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Receiver.Internal;

/// <summary>Makes the configured serializer options usable for typed payload reads.</summary>
internal static class WebhookJson
{
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
}
