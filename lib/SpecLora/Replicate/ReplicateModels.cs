using System.Text.Json.Nodes;

namespace SpecLora.Replicate;

/// <summary>A model version with its OpenAPI schema (<c>GET /models/{o}/{n}/versions/{id}</c>).</summary>
/// <param name="Id">64-hex version id.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="CogVersion">Cog version that built it.</param>
/// <param name="OpenApiSchema">Full OpenAPI document, or null when hidden.</param>
public sealed record ModelVersion(string Id, DateTimeOffset? CreatedAt, string? CogVersion, JsonObject? OpenApiSchema)
{
    /// <summary><c>components.schemas.Input</c>, with <c>$ref</c>s left for <see cref="InputValidator"/> to resolve.</summary>
    public JsonObject? InputSchema => Prediction.Obj(Prediction.Obj(Prediction.Obj(OpenApiSchema, "components"), "schemas"), "Input");

    /// <summary>Parses the API's JSON.</summary>
    public static ModelVersion FromJson(JsonObject json) => new(
        Prediction.Str(json, "id") ?? "",
        Prediction.Str(json, "created_at") is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null,
        Prediction.Str(json, "cog_version"),
        json["openapi_schema"]?.DeepClone() as JsonObject);
}

/// <summary>A model (<c>GET /models/{o}/{n}</c>).</summary>
/// <param name="Owner">Owner.</param>
/// <param name="Name">Name.</param>
/// <param name="Visibility"><c>public</c> or <c>private</c>.</param>
/// <param name="Description">Description.</param>
/// <param name="LatestVersion">Latest version, or null (e.g. a new training destination).</param>
public sealed record ReplicateModel(string Owner, string Name, string? Visibility, string? Description, ModelVersion? LatestVersion)
{
    /// <summary><c>owner/name</c>.</summary>
    public string FullName => $"{Owner}/{Name}";

    /// <summary>Parses the API's JSON.</summary>
    public static ReplicateModel FromJson(JsonObject json) => new(
        Prediction.Str(json, "owner") ?? "", Prediction.Str(json, "name") ?? "",
        Prediction.Str(json, "visibility"), Prediction.Str(json, "description"),
        json["latest_version"] is JsonObject v ? ModelVersion.FromJson(v) : null);
}

/// <summary>An uploaded file (<c>POST /files</c>); pass <see cref="GetUrl"/> as a model input unchanged.</summary>
/// <param name="Id">File id.</param>
/// <param name="Name">File name.</param>
/// <param name="ContentType">MIME type.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">SHA-256 checksum (hex), when given.</param>
/// <param name="ExpiresAt">Expiry (creation + 24 h).</param>
/// <param name="GetUrl"><c>urls.get</c>.</param>
public sealed record ReplicateFile(string Id, string Name, string? ContentType, long Size, string? Sha256, DateTimeOffset? ExpiresAt, Uri GetUrl)
{
    /// <summary>Parses the API's JSON.</summary>
    /// <exception cref="ReplicateServerException"><c>urls.get</c> is missing or not an absolute http(s) URL.</exception>
    public static ReplicateFile FromJson(JsonObject json) => FromJson(json, s => IO.TerminalText.Visible(s));

    /// <summary>As <see cref="FromJson(JsonObject)"/>, showing server text in messages through <paramref name="show"/>.</summary>
    internal static ReplicateFile FromJson(JsonObject json, Func<string?, string> show)
    {
        ArgumentNullException.ThrowIfNull(json);
        var get = Prediction.Str(json["urls"] as JsonObject, "get");
        if (get is null || !Uri.TryCreate(get, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new ReplicateServerException(
                $"Replicate's Files API accepted the upload but gave no usable address for it (urls.get = {(get is null ? "missing" : "\"" + show(get) + "\"")}), so the trainer cannot be given the file. "
                + "Run again; if it happens again, the server is not behaving as Replicate's does: check REPLICATE_BASE_URL.", null, null, null);
        return new(
            Prediction.Str(json, "id") ?? "", Prediction.Str(json, "name") ?? "", Prediction.Str(json, "content_type"),
            json["size"] is JsonValue sv && sv.TryGetValue<long>(out var size) ? size : 0,
            Prediction.Str(json["checksums"] as JsonObject, "sha256"),
            Prediction.Str(json, "expires_at") is { } e && DateTimeOffset.TryParse(e, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null,
            url);
    }
}

/// <summary>A prediction request: version (64-hex, or <c>owner/name:id</c>) and input.</summary>
/// <param name="Version">Version id or <c>owner/name:id</c>.</param>
/// <param name="Input">Model input; unset optional fields are left out.</param>
public sealed record PredictionRequest(string Version, JsonObject Input)
{
    /// <summary>Webhook URL (optional; polling is the main path).</summary>
    public Uri? Webhook { get; init; }
}
