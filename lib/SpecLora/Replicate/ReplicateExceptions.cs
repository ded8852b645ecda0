using System.Net;

namespace SpecLora.Replicate;

/// <summary>No usable API token: thrown before any HTTP call. The message says how to set one; it never quotes the token.</summary>
public sealed class ReplicateTokenMissingException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateTokenMissingException(string message) : base(message) { }
}

/// <summary>An input failed validation on the client, before anything was sent (nothing billed).</summary>
public sealed class ReplicateInputException : SpecLoraException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public ReplicateInputException(string field, string message) : base(message) => Field = field;

    /// <summary>The model input name at fault (e.g. <c>outWidth</c>).</summary>
    public string Field { get; }
}

/// <summary>One entry of a 422 <c>invalid_fields</c> list (or a Cog <c>detail</c> entry).</summary>
/// <param name="Type">Rule broken: <c>required</c>, <c>enum</c>, <c>number_lte</c>, <c>additional_property_not_allowed</c>, …</param>
/// <param name="Field">Field path, e.g. <c>input.outWidth</c>.</param>
/// <param name="Description">Server's description.</param>
public sealed record InvalidField(string Type, string Field, string Description);

/// <summary>
/// An HTTP error from the Replicate API (or a Cog server), parsed from its RFC 7807 problem body.
/// Subclasses map the status codes; messages never contain the API token.
/// </summary>
public class ReplicateApiException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateApiException(string message, HttpStatusCode? statusCode, string? title = null, string? detail = null,
        string? predictionId = null, Exception? inner = null) : base(message, inner)
    {
        StatusCode = statusCode;
        Title = title;
        Detail = detail;
        PredictionId = predictionId;
    }

    /// <summary>HTTP status, or null for a failure without a response (connection reset, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Problem <c>title</c>, when the server sent one.</summary>
    public string? Title { get; }

    /// <summary>Problem <c>detail</c> (or the start of a non-JSON body).</summary>
    public string? Detail { get; }

    /// <summary>Prediction or training involved, when known.</summary>
    public string? PredictionId { get; }
}

/// <summary>401: the token was rejected.</summary>
public sealed class ReplicateAuthenticationException : ReplicateApiException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateAuthenticationException(string message, string? title, string? detail)
        : base(message, HttpStatusCode.Unauthorized, title, detail) { }
}

/// <summary>402: billing required or insufficient credit.</summary>
public sealed class ReplicatePaymentRequiredException : ReplicateApiException
{
    /// <summary>Creates the exception.</summary>
    public ReplicatePaymentRequiredException(string message, string? title, string? detail)
        : base(message, HttpStatusCode.PaymentRequired, title, detail) { }
}

/// <summary>404: unknown model, version, prediction, or a community model called without a version.</summary>
public sealed class ReplicateNotFoundException : ReplicateApiException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateNotFoundException(string message, string? title, string? detail, string? predictionId = null)
        : base(message, HttpStatusCode.NotFound, title, detail, predictionId) { }
}

/// <summary>422: invalid version or input; <see cref="InvalidFields"/> lists the fields at fault.</summary>
public sealed class ReplicateValidationException : ReplicateApiException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateValidationException(string message, string? title, string? detail, IReadOnlyList<InvalidField> invalidFields, HttpStatusCode status = HttpStatusCode.UnprocessableEntity)
        : base(message, status, title, detail) => InvalidFields = invalidFields;

    /// <summary>The server's <c>invalid_fields</c> (empty for an invalid version).</summary>
    public IReadOnlyList<InvalidField> InvalidFields { get; }
}

/// <summary>429 after all retries: throttled.</summary>
public sealed class ReplicateRateLimitException : ReplicateApiException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateRateLimitException(string message, string? title, string? detail, TimeSpan? retryAfter)
        : base(message, HttpStatusCode.TooManyRequests, title, detail) => RetryAfter = retryAfter;

    /// <summary>The server's suggested wait, when given.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>An output was refused or could not be fetched: over its size cap, past its time limit, not the picture (or
/// file) it should be, cut off, redirected somewhere it may not go, or a <c>data:</c> URI that cannot be read. Nothing was
/// saved (see <see cref="DownloadLimits"/>).</summary>
public sealed class ReplicateDownloadException : ReplicateApiException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateDownloadException(string message, string? predictionId) : base(message, null, null, null, predictionId) { }
}

/// <summary>5xx (after retries for safe requests), or a connection failure.</summary>
public sealed class ReplicateServerException : ReplicateApiException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateServerException(string message, HttpStatusCode? status, string? title, string? detail, Exception? inner = null)
        : base(message, status, title, detail, null, inner) { }
}

/// <summary>A prediction or training ended as <c>failed</c>, <c>canceled</c>, <c>aborted</c> or an unknown status.</summary>
public sealed class ReplicatePredictionFailedException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public ReplicatePredictionFailedException(string message, Prediction prediction) : base(message) => Prediction = prediction;

    /// <summary>The final prediction, with <c>error</c> and <c>logs</c>.</summary>
    public Prediction Prediction { get; }

    /// <summary>The last log lines.</summary>
    public string LogTail => Prediction.LogTail();
}

/// <summary>Waiting for a prediction exceeded the overall timeout; it was cancelled on the server.</summary>
public sealed class ReplicateTimeoutException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateTimeoutException(string message, string predictionId) : base(message) => PredictionId = predictionId;

    /// <summary>The prediction that was cancelled.</summary>
    public string PredictionId { get; }
}

/// <summary>An output file is gone (404/403/410 on download, or <c>data_removed</c>): API outputs expire about 1 h after creation.</summary>
public sealed class ReplicateOutputExpiredException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public ReplicateOutputExpiredException(string message, string? predictionId) : base(message) => PredictionId = predictionId;

    /// <summary>The prediction whose output expired.</summary>
    public string? PredictionId { get; }
}

/// <summary>A local Cog server could not be used: unreachable, setup failed, busy or not ready.</summary>
internal sealed class CogServerException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public CogServerException(string message, HttpStatusCode? statusCode = null, Exception? inner = null) : base(message, inner) => StatusCode = statusCode;

    /// <summary>HTTP status (409 busy, 503 not ready) or null (unreachable, setup failed).</summary>
    public HttpStatusCode? StatusCode { get; }
}

/// <summary>A training zip cannot be built or uploaded (no images, over 100 MiB, …).</summary>
public sealed class TrainingDatasetException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDatasetException(string message) : base(message) { }
}
