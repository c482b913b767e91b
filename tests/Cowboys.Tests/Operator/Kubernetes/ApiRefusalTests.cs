using System.Net;
using Cowboys.Operator.Kubernetes;
using Xunit;

namespace Cowboys.Tests.Operator.Kubernetes;

public class ApiRefusalTests
{
    [Theory]
    [InlineData(400, true)]
    [InlineData(403, true)]
    [InlineData(422, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    [InlineData(504, false)]
    public void Only_refusals_that_asking_again_cannot_cure_are_permanent(int code, bool permanent) =>
        Assert.Equal(permanent, ApiRefusal.IsPermanent((HttpStatusCode)code));

    [Fact]
    public void The_servers_reason_and_message_are_kept_with_the_request()
    {
        var body = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Job.batch \"1v1-x\" is invalid: spec.template.labels: must be no more than 63 characters","reason":"Invalid","code":422}""";
        var refusal = ApiRefusal.From(HttpStatusCode.UnprocessableEntity, body, "POST /apis/batch/v1/namespaces/cowboys/jobs");
        Assert.Equal("Invalid", refusal.Reason);
        Assert.Contains("POST /apis/batch/v1/namespaces/cowboys/jobs", refusal.Message);
        Assert.Contains("must be no more than 63 characters", refusal.Message);
    }

    [Theory]
    [InlineData("<html>proxy says no</html>", "proxy says no")]
    [InlineData("", "no message")]
    public void A_body_that_is_no_status_still_gives_a_reason_and_what_was_said(string body, string said)
    {
        var refusal = ApiRefusal.From(HttpStatusCode.Forbidden, body, "GET /x");
        Assert.Equal("Forbidden", refusal.Reason);
        Assert.Contains(said, refusal.Message);
    }
}
