using Microsoft.AspNetCore.Http;

namespace Webhooks.Management.Internal;

/// <summary>The API's error answers: RFC 9457 problem details (<c>application/problem+json</c>).</summary>
internal static class Problems
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.", detail: "See errors: each key is the JSON path of a body member, or the name of a query parameter or header.");

    public static IResult Field(string field, string message) => Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>404 for an id that does not exist or belongs to another tenant: the answer is the same, so ids do not leak.</summary>
    public static IResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"There is no {what} '{Quote(id)}'.");

    public static IResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: "This request has no access to webhooks: no tenant was found for it.");

    public static IResult TooLarge(int limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.", detail: $"The body is over the limit of {limit} bytes.");

    public static IResult UnsupportedMediaType() =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request body is not JSON.", detail: "Send the body as JSON with 'Content-Type: application/json'.");

    /// <summary>A value from the request, shortened for an error message.</summary>
    public static string Quote(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "...");
}
