using Microsoft.AspNetCore.Http;

namespace Webhooks.LoadHarness.Load;

/// <summary>What the bare endpoints do with a body: read it to the end, keep nothing.</summary>
internal static class RequestBody
{
    public static async Task DrainAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }
}
