using System.Globalization;
using System.Text.Json.Nodes;

namespace SpecLora.Replicate;

/// <summary>
/// Checks a model input before it is sent (so nothing is billed for a typo): against the version's OpenAPI
/// <c>Input</c> schema when known (types, <c>minimum</c>/<c>maximum</c>, enums, required and unknown keys), and
/// against the known ranges of the SDXL LoRA models (outWidth/outHeight 128–4096, guidanceScale 0–50,
/// num_outputs 1–4, num_inference_steps 1–500, lora_scale 0–1, high_noise_frac 0–1).
/// </summary>
internal static class InputValidator
{
    /// <summary>Known ranges (inclusive) of the georgedavila / zylim0702 SDXL LoRA inputs.</summary>
    public static readonly IReadOnlyDictionary<string, (double Min, double Max)> KnownRanges = new Dictionary<string, (double, double)>
    {
        ["outWidth"] = (128, 4096),
        ["outHeight"] = (128, 4096),
        ["width"] = (128, 4096),
        ["height"] = (128, 4096),
        ["guidanceScale"] = (0, 50),
        ["guidance_scale"] = (0, 50),
        ["num_outputs"] = (1, 4),
        ["num_inference_steps"] = (1, 500),
        ["lora_scale"] = (0, 1),
        ["high_noise_frac"] = (0, 1),
    };

    /// <summary>Throws <see cref="ReplicateInputException"/> naming the first bad field.</summary>
    /// <param name="input">Model input.</param>
    /// <param name="openApiSchema">Full OpenAPI document of the version (for <c>$ref</c>s), or null.</param>
    public static void Validate(JsonObject input, JsonObject? openApiSchema = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var (name, value) in input)
        {
            if (KnownRanges.TryGetValue(name, out var range))
            {
                var x = Number(name, value);
                if (!(x >= range.Min && x <= range.Max))
                    throw new ReplicateInputException(name, $"input {name}={Show(value)} is out of range: it must be between {range.Min.ToString(CultureInfo.InvariantCulture)} and {range.Max.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        // the schema comes from the server: a member of the wrong kind is ignored, never a crash
        var schema = Prediction.Obj(Prediction.Obj(Prediction.Obj(openApiSchema, "components"), "schemas"), "Input");
        if (schema is null) return;
        var props = schema["properties"] as JsonObject ?? new JsonObject();
        foreach (var req in (schema["required"] as JsonArray) ?? new JsonArray())
        {
            var r = req is JsonValue rv && rv.TryGetValue<string>(out var rs) ? rs : null;
            if (r != null && (!input.ContainsKey(r) || input[r] is null))
                throw new ReplicateInputException(r, $"input {r} is required by the model's schema but missing");
        }
        foreach (var (name, value) in input)
        {
            if (props[name] is not JsonObject prop)
                throw new ReplicateInputException(name, $"input {name} is not an input of this model version (known inputs: {Secrets.Show(string.Join(", ", props.Select(p => p.Key)), null, 500)})");
            if (value is null) continue;
            var resolved = Resolve(prop, openApiSchema!);
            var type = Prediction.Str(resolved, "type") ?? Prediction.Str(prop, "type");
            switch (type)
            {
                case "integer":
                    var i = Number(name, value);
                    if (i != Math.Floor(i)) throw new ReplicateInputException(name, $"input {name}={Show(value)} must be an integer");
                    CheckMinMax(name, value, i, prop);
                    break;
                case "number":
                    CheckMinMax(name, value, Number(name, value), prop);
                    break;
                case "boolean":
                    if (value is not JsonValue bv || !bv.TryGetValue<bool>(out _))
                        throw new ReplicateInputException(name, $"input {name}={Show(value)} must be true or false");
                    break;
                case "string":
                    if (value is not JsonValue sv || !sv.TryGetValue<string>(out var s))
                        throw new ReplicateInputException(name, $"input {name}={Show(value)} must be a string");
                    if (resolved["enum"] is JsonArray choices && choices.Count > 0 && !choices.Any(c => c is JsonValue cv && cv.TryGetValue<string>(out var cs) && cs == s))
                        throw new ReplicateInputException(name, $"input {name}={Show(value)} must be one of: {string.Join(", ", choices.Select(c => c?.ToJsonString()))}");
                    break;
            }
        }
    }

    private static JsonObject Resolve(JsonObject prop, JsonObject doc)
    {
        // Cog writes enums as allOf: [{ $ref: "#/components/schemas/scheduler" }].
        var reference = Prediction.Str(prop, "$ref") ?? Prediction.Str((prop["allOf"] as JsonArray)?.FirstOrDefault() as JsonObject, "$ref");
        if (reference is null || !reference.StartsWith("#/", StringComparison.Ordinal)) return prop;
        JsonNode? node = doc;
        foreach (var part in reference[2..].Split('/')) node = node is JsonObject o ? o[part] : null;
        return node as JsonObject ?? prop;
    }

    private static void CheckMinMax(string name, JsonNode value, double x, JsonObject prop)
    {
        if (prop["minimum"] is JsonValue mn && TryNumber(mn, out var min) && x < min)
            throw new ReplicateInputException(name, $"input {name}={Show(value)} must be ≥ {min.ToString(CultureInfo.InvariantCulture)} (model schema)");
        if (prop["maximum"] is JsonValue mx && TryNumber(mx, out var max) && x > max)
            throw new ReplicateInputException(name, $"input {name}={Show(value)} must be ≤ {max.ToString(CultureInfo.InvariantCulture)} (model schema)");
    }

    private static double Number(string name, JsonNode? value)
    {
        if (value is JsonValue v && TryNumber(v, out var d)) return d;
        throw new ReplicateInputException(name, $"input {name}={Show(value)} must be a number");
    }

    private static bool TryNumber(JsonValue v, out double d)
    {
        d = 0;
        return v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";
}
