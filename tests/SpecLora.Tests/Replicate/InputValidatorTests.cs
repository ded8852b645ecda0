using System.Text.Json.Nodes;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class InputValidatorTests
{
    private static JsonObject Valid() => ReadmeSettings.Get(2).ToInput(5);

    [Theory]
    [InlineData("outWidth", 64)]
    [InlineData("outWidth", 5000)]
    [InlineData("outHeight", 127)]
    [InlineData("guidanceScale", -0.1)]
    [InlineData("guidanceScale", 50.5)]
    [InlineData("num_outputs", 0)]
    [InlineData("num_outputs", 5)]
    [InlineData("num_inference_steps", 0)]
    [InlineData("num_inference_steps", 501)]
    [InlineData("lora_scale", 1.5)]
    [InlineData("high_noise_frac", -1)]
    public void Known_ranges_reject_and_name_the_field(string field, double value)
    {
        var input = Valid();
        input[field] = value;
        var e = Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(input));
        Assert.Equal(field, e.Field);
        Assert.Contains(field, e.Message);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void Edges_of_the_ranges_and_all_readme_settings_pass()
    {
        var input = Valid();
        input["outWidth"] = 128;
        input["outHeight"] = 4096;
        input["guidanceScale"] = 50;
        input["num_outputs"] = 4;
        input["lora_scale"] = 0;
        InputValidator.Validate(input, FakeReplicateServer.ModelSchema());
        foreach (var s in ReadmeSettings.All) InputValidator.Validate(s.ToInput(1), FakeReplicateServer.ModelSchema());
    }

    [Fact]
    public void Schema_rejects_unknown_keys_types_enums_and_missing_required()
    {
        var schema = FakeReplicateServer.ModelSchema();
        var unknown = Valid();
        unknown["prompt"] = "x";
        Assert.Equal("prompt", Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(unknown, schema)).Field);
        var wrongType = Valid();
        wrongType["seed"] = 1.5;
        Assert.Contains("integer", Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(wrongType, schema)).Message);
        var str = Valid();
        str["outWidth"] = "1024";
        Assert.Contains("number", Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(str, schema)).Message);
        var badEnum = Valid();
        badEnum["scheduler"] = "EULER_X";
        Assert.Contains("DDIM", Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(badEnum, schema)).Message);
        var okEnum = Valid();
        okEnum["scheduler"] = "DDIM";
        InputValidator.Validate(okEnum, schema);
        var trainer = FakeReplicateServer.TrainerSchema();
        Assert.Equal("input_images", Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(new JsonObject { ["resolution"] = 1024 }, trainer)).Field);
    }

    [Fact]
    public void Schema_minimum_and_maximum_apply_to_other_fields()
    {
        var schema = FakeReplicateServer.ModelSchema();
        schema["components"]!["schemas"]!["Input"]!["properties"]!["seed"]!["maximum"] = 100;
        var input = Valid();
        input["seed"] = 101;
        var e = Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(input, schema));
        Assert.Equal("seed", e.Field);
        Assert.Contains("≤ 100", e.Message);
    }

    /// <summary>Issue 17 (a hostile server): the schema comes from the server. Members of the wrong kind (numbers in
    /// <c>required</c> and <c>enum</c>, <c>components</c> an array, a <c>$ref</c> through an array) used to throw .NET's own
    /// "The node must be of type …"; they are now ignored, and the known checks still apply.</summary>
    [Fact]
    public void A_hostile_schema_of_the_wrong_shape_never_crashes_the_validator()
    {
        InputValidator.Validate(Valid(), new JsonObject { ["components"] = new JsonArray(1, 2) });
        InputValidator.Validate(Valid(), new JsonObject { ["components"] = new JsonObject { ["schemas"] = "not an object" } });
        var schema = FakeReplicateServer.ModelSchema();
        var input = schema["components"]!["schemas"]!["Input"]!.AsObject();
        input["required"] = new JsonArray(1, null, "myprompt");
        input["properties"]!["scheduler"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/0/x" }), ["enum"] = new JsonArray(1, 2) };
        schema["components"]!["schemas"]!["0"] = new JsonArray(3);
        var withScheduler = Valid();
        withScheduler["scheduler"] = "K_EULER";
        InputValidator.Validate(withScheduler, schema);
        var outOfRange = Valid();
        outOfRange["num_outputs"] = 10;
        Assert.Equal("num_outputs", Assert.Throws<ReplicateInputException>(() => InputValidator.Validate(outOfRange, schema)).Field);
    }
}
