using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Serialization;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>
/// Settings of <see cref="ReplicateClient"/>. Immutable; <see cref="ToString"/> (and the record's printed members)
/// never print the token, debuggers and JSON serialisation skip it, and the notebook formatters show the redacted form.
/// </summary>
/// <remarks>Defaults follow the official clients where they are sensible (poll 0.5 s, <c>Prefer: wait</c>) and
/// fix their known problems: polling backs off up to 5 s and every wait has an overall <see cref="Timeout"/>.</remarks>
public sealed record ReplicateClientOptions
{
    /// <summary>Default API root, <c>https://api.replicate.com/v1</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.replicate.com/v1");

    /// <summary>Environment variable holding the API token.</summary>
    public const string TokenVariable = "REPLICATE_API_TOKEN";

    /// <summary>Environment variable overriding the API root (tests point it at a local fake server).</summary>
    public const string BaseUrlVariable = "REPLICATE_BASE_URL";

    /// <summary>API token (<c>r8_…</c>); default: <c>REPLICATE_API_TOKEN</c>. Never printed, logged or written.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    [JsonIgnore]
    public string? ApiToken { get; init; } = Environment.GetEnvironmentVariable(TokenVariable);

    /// <summary>API root; default: <c>REPLICATE_BASE_URL</c> or <see cref="DefaultBaseAddress"/>.</summary>
    /// <exception cref="ArgumentException">REPLICATE_BASE_URL is set but is not an absolute http(s) URL.</exception>
    public Uri BaseAddress { get; init; } = BaseFromEnvironment();

    /// <summary>First poll interval (0.5 s); it grows by <see cref="PollBackoffFactor"/> per poll.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Largest poll interval (5 s).</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Factor applied to the poll interval after each poll (1.5).</summary>
    public double PollBackoffFactor { get; init; } = 1.5;

    /// <summary>Overall limit on waiting for one prediction (30 min). On expiry the prediction is cancelled on the server.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Overall limit on waiting for a training (4 h).</summary>
    public TimeSpan TrainingTimeout { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Timeout of one ordinary HTTP request (30 s). A create with <c>Prefer: wait=N</c> gets N s more.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of one request on 429 / 5xx / connection failure (5). Creates follow the stricter rule of spec §1.12.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First backoff delay when the server gives no hint (0.5 s, doubled per retry, ±20 % jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Cap on any single retry delay, including server hints (60 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seconds sent as <c>Prefer: wait=N</c> on create (1–60), or null to skip sync mode. Default 60.</summary>
    public int? PreferWaitSeconds { get; init; } = 60;

    /// <summary>Server-side deadline sent as <c>Cancel-After</c> (null: none). Expired before start → <c>aborted</c>; while running → <c>canceled</c>.</summary>
    public TimeSpan? CancelAfter { get; init; }

    /// <summary>Sent as <c>User-Agent</c>.</summary>
    public string UserAgent { get; init; } = "speclora-replicate/1.0";

    /// <summary>Size caps, time limits and checks of output downloads (pictures 64 MiB / 5 min, other files such as LoRA
    /// weights 4 GiB / 1 h); see <see cref="DownloadLimits"/>.</summary>
    public DownloadLimits Downloads { get; init; } = new();

    /// <summary>Largest API answer read (100 MiB: room for a 64 MiB picture inside a <c>data:</c> URI); a larger one is refused.</summary>
    internal long MaxJsonBytes { get; init; } = 100L << 20;

    /// <summary>True when <see cref="ApiToken"/> is set (its value is never exposed).</summary>
    public bool HasToken => !string.IsNullOrWhiteSpace(ApiToken);

    /// <summary>Options from the environment (<c>REPLICATE_API_TOKEN</c>, <c>REPLICATE_BASE_URL</c>).</summary>
    /// <example>
    /// <code>
    /// var options = ReplicateClientOptions.FromEnvironment();   // REPLICATE_API_TOKEN, REPLICATE_BASE_URL
    /// Console.WriteLine(options.HasToken ? "token found" : "export REPLICATE_API_TOKEN=r8_… to run billed jobs");
    /// </code>
    /// Notebook: <c>notebooks/03-prepare-training.ipynb</c>.
    /// </example>
    public static ReplicateClientOptions FromEnvironment() => new();

    /// <summary>Checks the token is present and well formed, without any network call.</summary>
    /// <exception cref="ReplicateTokenMissingException">Missing or malformed token; the message says how to set it.</exception>
    public void RequireToken()
    {
        var problem = DescribeTokenProblem(ApiToken);
        if (problem != null) throw new ReplicateTokenMissingException(problem);
    }

    /// <summary>Checks every setting and reports every bad one at once, quoting each value. Nothing is sent before this
    /// passes: <see cref="BaseAddress"/> must be https, or plain http to a loopback host (a local fake server), and must
    /// carry no user name or password (which no message repeats), no query and no fragment.</summary>
    /// <exception cref="ArgumentOutOfRangeException">One or more settings are bad; <see cref="ArgumentException.ParamName"/>
    /// names the first, the message lists them all.</exception>
    public ReplicateClientOptions Validate()
    {
        var p = new OptionProblems();
        if (DescribeBaseAddressProblem(BaseAddress) is { } problem) p.Range(nameof(BaseAddress), problem);
        if (PollInterval <= TimeSpan.Zero) p.Range(nameof(PollInterval), $"PollInterval={PollInterval} must be > 0");
        if (MaxPollInterval < PollInterval) p.Range(nameof(MaxPollInterval), $"MaxPollInterval={MaxPollInterval} must be ≥ PollInterval={PollInterval}");
        if (!(PollBackoffFactor >= 1) || !double.IsFinite(PollBackoffFactor)) p.Range(nameof(PollBackoffFactor), $"PollBackoffFactor={PollBackoffFactor} must be finite and ≥ 1");
        if (Timeout <= TimeSpan.Zero) p.Range(nameof(Timeout), $"Timeout={Timeout} must be > 0");
        if (TrainingTimeout <= TimeSpan.Zero) p.Range(nameof(TrainingTimeout), $"TrainingTimeout={TrainingTimeout} must be > 0");
        if (RequestTimeout <= TimeSpan.Zero) p.Range(nameof(RequestTimeout), $"RequestTimeout={RequestTimeout} must be > 0");
        if (MaxRetries is < 0 or > 100) p.Range(nameof(MaxRetries), $"MaxRetries={MaxRetries} must be 0…100");
        if (RetryBaseDelay < TimeSpan.Zero) p.Range(nameof(RetryBaseDelay), $"RetryBaseDelay={RetryBaseDelay} must be ≥ 0");
        if (MaxRetryDelay < TimeSpan.Zero) p.Range(nameof(MaxRetryDelay), $"MaxRetryDelay={MaxRetryDelay} must be ≥ 0");
        if (PreferWaitSeconds is < 1 or > 60) p.Range(nameof(PreferWaitSeconds), $"PreferWaitSeconds={PreferWaitSeconds} must be 1–60 (Prefer: wait=N)");
        if (CancelAfter is { } ca && ca <= TimeSpan.Zero) p.Range(nameof(CancelAfter), $"CancelAfter={ca} must be > 0");
        if (string.IsNullOrWhiteSpace(UserAgent) || UserAgent.Any(char.IsControl)) p.Range(nameof(UserAgent), $"UserAgent=\"{TerminalText.Visible(UserAgent)}\" must be non-empty and hold no control characters");
        if (MaxJsonBytes < 1024) p.Range(nameof(MaxJsonBytes), $"MaxJsonBytes={MaxJsonBytes} must be ≥ 1024");
        if (Downloads is null) p.Range(nameof(Downloads), "Downloads must not be null");
        else Downloads.Check(p, "Downloads.");
        p.ThrowIfAny();
        return this;
    }

    /// <summary>Prints the settings with the token redacted.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("ReplicateClientOptions { ");
        PrintMembers(sb);
        return sb.Append(" }").ToString();
    }

    // replaces the compiler-generated member printer, which would list ApiToken in clear
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ApiToken = {(HasToken ? "***" : "(none)")}, BaseAddress = {Secrets.Display(BaseAddress)}, PollInterval = {PollInterval}, MaxPollInterval = {MaxPollInterval}, Timeout = {Timeout}, RequestTimeout = {RequestTimeout}, MaxRetries = {MaxRetries}, PreferWaitSeconds = {PreferWaitSeconds}, CancelAfter = {CancelAfter}");
        return true;
    }

    /// <summary>True for a loopback host: <c>localhost</c>, 127.0.0.0/8 or ::1 (the only hosts that may get the token over plain http).</summary>
    internal static bool IsLoopbackHost(Uri uri)
    {
        if (string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    internal string CancelAfterHeader => CancelAfter is { } t
        ? (t.TotalSeconds % 60 == 0 && t.TotalMinutes >= 1 ? $"{(long)t.TotalMinutes}m" : $"{Math.Max(1, (long)Math.Ceiling(t.TotalSeconds))}s")
        : "";

    /// <summary>Null when <paramref name="token"/> is usable, else a message saying how to fix it (never quoting it).</summary>
    internal static string? DescribeTokenProblem(string? token)
    {
        const string how = "Set it in your shell before running: export REPLICATE_API_TOKEN=r8_… "
                         + "(get a token at https://replicate.com/account/api-tokens), or pass ApiToken in ReplicateClientOptions.";
        if (string.IsNullOrWhiteSpace(token))
            return "No Replicate API token: REPLICATE_API_TOKEN is not set. " + how;
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || token.StartsWith("Token ", StringComparison.OrdinalIgnoreCase))
            return "The Replicate API token is malformed: it starts with an auth scheme (\"Bearer \"/\"Token \"); set only the token itself. " + how;
        foreach (var c in token)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c > 126 || c == '"' || c == '\'')
                return $"The Replicate API token is malformed ({token.Length} characters, contains whitespace, quotes or non-ASCII characters). " + how;
        }
        if (token.Length < 20)
            return $"The Replicate API token is malformed: it is only {token.Length} characters long (tokens look like r8_ followed by ~37 characters). " + how;
        return null;
    }

    private static Uri BaseFromEnvironment() => ParseBaseUrl(Environment.GetEnvironmentVariable(BaseUrlVariable));

    /// <summary><see cref="DefaultBaseAddress"/> when <paramref name="value"/> is unset or blank, else the URL it holds.</summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) URL (a typo must not silently send the token to the
    /// real API), or one carrying credentials (never repeated in the message).</exception>
    internal static Uri ParseBaseUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultBaseAddress;
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) && u.IdnHost.Length > 0)
        {
            if (u.UserInfo.Length > 0) throw new ArgumentException(CredentialsProblem(Secrets.Display(u)), BaseUrlVariable);
            if (QueryOrFragmentProblem(u) is { } extra) throw new ArgumentException(extra, BaseUrlVariable);
            return u;
        }
        throw new ArgumentException(
            $"{BaseUrlVariable}=\"{TerminalText.Visible(Secrets.MaskUserInfo(value))}\" is not a valid API root: it must be an absolute http(s) URL such as https://api.replicate.com/v1 "
            + $"(or http://127.0.0.1:5000/v1 for a local server). Fix it, or unset {BaseUrlVariable} to use {DefaultBaseAddress}.", BaseUrlVariable);
    }

    /// <summary>Null when <paramref name="uri"/> may be the API root, else why not (never quoting credentials).</summary>
    internal static string? DescribeBaseAddressProblem(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.IdnHost.Length == 0)
            return $"BaseAddress={(uri is null ? "(null)" : TerminalText.Visible(Secrets.MaskUserInfo(uri.OriginalString)))} must be an absolute https URL such as {DefaultBaseAddress} ({BaseUrlVariable})";
        if (uri.UserInfo.Length > 0) return CredentialsProblem(Secrets.Display(uri));
        if (QueryOrFragmentProblem(uri) is { } extra) return extra;
        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopbackHost(uri))
            return $"{BaseUrlVariable}={Secrets.Display(uri)} uses plain http to a host that is not this machine; nothing was sent. "
                 + $"Only https (such as {DefaultBaseAddress}) or plain http to a loopback host (localhost, 127.0.0.1, [::1]: a local fake server) is allowed.";
        return null;
    }

    /// <summary>An API root with <c>?…</c> or <c>#…</c> would swallow every path appended to it (<c>…/v1#x/predictions</c>
    /// sends to <c>/v1</c>): refused, quoting the part to remove.</summary>
    private static string? QueryOrFragmentProblem(Uri uri)
    {
        var extra = uri.Fragment.Length > 0 ? ("fragment", uri.Fragment) : uri.Query.Length > 0 ? ("query", uri.Query) : default;
        if (extra == default) return null;
        var root = Secrets.Display(new Uri(uri.GetLeftPart(UriPartial.Path)));
        return $"{BaseUrlVariable}={TerminalText.Visible(Secrets.Display(uri))} ends in a {extra.Item1} ('{TerminalText.Visible(extra.Item2)}'), which would swallow the API paths appended to it; nothing was sent. "
             + $"Remove it: {BaseUrlVariable}={root}.";
    }

    private static string CredentialsProblem(string shown) =>
        $"{BaseUrlVariable}={shown} holds a user name or password (shown as ***); nothing was sent. Credentials do not belong in the URL: "
        + $"the token is read from {TokenVariable} and sent as a header. Remove the part before the '@'.";
}

/// <summary>Collects every problem of an options record, so that <c>Validate()</c> reports them all at once.</summary>
internal sealed class OptionProblems
{
    private readonly List<(string Name, string Message, bool Range)> _problems = [];

    /// <summary>How many problems were found.</summary>
    public int Count => _problems.Count;

    /// <summary>A value out of its range (an <see cref="ArgumentOutOfRangeException"/> when alone).</summary>
    public void Range(string name, string message) => _problems.Add((name, message, true));

    /// <summary>Any other bad value (an <see cref="ArgumentException"/>).</summary>
    public void Other(string name, string message) => _problems.Add((name, message, false));

    /// <summary>Throws when any problem was found: one problem as it is; several as "N problems: a; b; c", with
    /// <see cref="ArgumentException.ParamName"/> the first one's name. <see cref="ArgumentOutOfRangeException"/> when
    /// every problem is a range, else <see cref="ArgumentException"/>.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count == 0) return;
        var message = _problems.Count == 1 ? _problems[0].Message
            : $"{_problems.Count} problems: " + string.Join("; ", _problems.Select(p => p.Message.TrimEnd('.')));
        if (_problems.All(p => p.Range)) throw new ArgumentOutOfRangeException(_problems[0].Name, message);
        throw new ArgumentException(message, _problems[0].Name);
    }
}
