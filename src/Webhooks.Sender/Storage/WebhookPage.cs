namespace Webhooks.Sender;

/// <summary>One page of a keyset-paged query, newest first.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items.</param>
/// <param name="ContinuationToken">Pass as the next query's <c>After</c> to get the next page; <see langword="null"/> on the last page.</param>
public sealed record WebhookPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
