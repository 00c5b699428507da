using System.Text.Json;

namespace Webhooks.Receiver.Internal;

/// <summary>
/// Binds a payload to a message's handlers and runs them in order: the one code path of the direct receiver (in the
/// request) and of the inbox processor (in the background).
/// </summary>
internal static class WebhookDispatch
{
    /// <summary>Deserializes the payload once per distinct payload type of <paramref name="handlers"/>.</summary>
    /// <returns>
    /// The payloads, one per handler; <see langword="null"/> when one does not bind, with the handler's index in
    /// <paramref name="failed"/> and the reader's exception in <paramref name="error"/> (none when the payload is JSON null).
    /// </returns>
    public static object?[]? TryBind(WebhookHandlerBinding[] handlers, ReadOnlySpan<byte> payload, WebhookJson json, out int failed, out JsonException? error)
    {
        failed = -1;
        error = null;
        var data = handlers.Length == 0 ? [] : new object?[handlers.Length];
        for (var i = 0; i < handlers.Length; i++)
        {
            if (SamePayloadTypeBefore(handlers, i) is var shared and >= 0)
            {
                data[i] = data[shared];
                continue;
            }

            try
            {
                data[i] = handlers[i].Deserialize(payload, json);
            }
            catch (JsonException exception)
            {
                error = exception;
            }

            if (data[i] is null)
            {
                failed = i;
                return null;
            }
        }

        return data;
    }

    /// <summary>Runs the handlers in registration order; the first exception ends the run.</summary>
    public static async Task InvokeAsync(WebhookMessage message, WebhookHandlerBinding[] handlers, object?[] data, CancellationToken cancellationToken)
    {
        for (var i = 0; i < handlers.Length; i++)
        {
            await handlers[i].InvokeAsync(message, data[i], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Finds an earlier handler with the same payload type, whose deserialized payload can be shared.</summary>
    private static int SamePayloadTypeBefore(WebhookHandlerBinding[] handlers, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (handlers[j].PayloadType == handlers[index].PayloadType)
            {
                return j;
            }
        }

        return -1;
    }
}
