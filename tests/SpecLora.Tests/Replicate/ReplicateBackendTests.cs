using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class ReplicateBackendTests(FakeReplicateFixture fixture) : IClassFixture<FakeReplicateFixture>
{
    [Theory]
    [InlineData("outWidth", 64)]
    [InlineData("num_outputs", 5)]
    [InlineData("guidanceScale", 51)]
    public async Task Bad_input_is_refused_before_any_create(string field, double value)
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var input = ReadmeSettings.Get(1).ToInput(1);
        input[field] = value;
        var e = await Assert.ThrowsAsync<ReplicateInputException>(() => new ReplicateBackend(client).PredictAsync(input));
        Assert.Equal(field, e.Field);
        Assert.Equal(0, fake.CreateRequests);
    }

    [Fact]
    public async Task Unknown_key_is_caught_by_the_version_schema_before_create()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var input = ReadmeSettings.Get(1).ToInput(1);
        input["prompt"] = "typo";
        var e = await Assert.ThrowsAsync<ReplicateInputException>(() => new ReplicateBackend(client).PredictAsync(input));
        Assert.Equal("prompt", e.Field);
        Assert.Contains("myprompt", e.Message);
        Assert.Equal(0, fake.CreateRequests);
    }

    [Fact]
    public async Task Resolves_the_version_once_and_runs()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        Assert.Equal("replicate", backend.Name);
        var p = await backend.PredictAsync(ReadmeSettings.Get(4).ToInput(1));
        Assert.Equal(FakeReplicateServer.VersionId, backend.Version!.Id);
        Assert.Equal(FakeReplicateServer.VersionId, p.Version);
        Assert.Throws<ArgumentException>(() => new ReplicateBackend(client, "bad ref"));
        await Assert.ThrowsAsync<ReplicateNotFoundException>(() => new ReplicateBackend(client, "nobody/nothing").PredictAsync(ReadmeSettings.Get(1).ToInput(1)));
        Assert.Equal(1, fake.CreateRequests);
    }
}
