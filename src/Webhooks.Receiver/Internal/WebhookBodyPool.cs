using System.Buffers;

namespace Webhooks.Receiver.Internal;

/// <summary>
/// The pool request bodies are rented from, when registered in the services (tests count what is held through it);
/// otherwise <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
internal sealed class WebhookBodyPool(ArrayPool<byte> pool)
{
    public ArrayPool<byte> Pool { get; } = pool;
}
