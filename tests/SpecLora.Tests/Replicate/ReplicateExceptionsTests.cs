using System.Net;
using SpecLora.Replicate;

namespace SpecLora.Tests.Replicate;

public class ReplicateExceptionsTests
{
    [Fact]
    public void Every_replicate_error_is_a_SpecLoraException_and_api_errors_carry_status()
    {
        var errors = new SpecLoraException[]
        {
            new ReplicateTokenMissingException("m"), new ReplicateInputException("outWidth", "m"),
            new ReplicateAuthenticationException("m", "t", "d"), new ReplicatePaymentRequiredException("m", "t", "d"),
            new ReplicateNotFoundException("m", null, "d", "p1"), new ReplicateValidationException("m", "t", "d", [new InvalidField("number_lte", "input.x", "≤ 4")]),
            new ReplicateRateLimitException("m", null, "d", TimeSpan.FromSeconds(3)), new ReplicateServerException("m", HttpStatusCode.BadGateway, null, null),
            new ReplicateOutputExpiredException("m", "p"), new ReplicateTimeoutException("m", "p"), new CogServerException("m", HttpStatusCode.Conflict),
            new TrainingDatasetException("m"),
        };
        Assert.All(errors, e => Assert.Equal("m", e.Message));
        Assert.Equal(HttpStatusCode.Unauthorized, ((ReplicateApiException)errors[2]).StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, ((ReplicateApiException)errors[3]).StatusCode);
        Assert.Equal("p1", ((ReplicateApiException)errors[4]).PredictionId);
        Assert.Equal("input.x", ((ReplicateValidationException)errors[5]).InvalidFields[0].Field);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, ((ReplicateApiException)errors[5]).StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), ((ReplicateRateLimitException)errors[6]).RetryAfter);
        Assert.Equal("outWidth", ((ReplicateInputException)errors[1]).Field);
    }
}
