using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using PartnerQualifications.Gateway.Client.Models;
using Xunit;

namespace PartnerQualifications.Gateway.Client.Tests;

/// <summary>
/// A line-of-business app's calls through the generated .NET client, against the running gateway
/// (local host, Azurite, the Partner Center simulator): read, submit Education with a key, replay
/// it, resubmit (409 problem), history, the pending list, validation codes.
/// </summary>
public sealed class ScenarioTests
{
    private readonly RecordingHandler _recorder = new();
    private readonly GatewayClient _client;

    public ScenarioTests() => _client = GatewayClientFactory.Create(new() { BaseUrl = LocalGateway.BaseUrl }, _recorder);

    [Fact]
    public async Task Runs_the_line_of_business_scenario()
    {
        var customerId = await LocalGateway.CreateCustomerAsync();
        var qualifications = _client.Customers[customerId].Qualifications;

        var first = await qualifications.GetAsync();
        Assert.NotNull(first);
        Assert.Equal(customerId.ToString(), first.CustomerId);
        Assert.Equal(CustomerQualifications_source.PartnerCenter, first.Source);
        Assert.Empty(first.Qualifications!);
        Assert.False(first.Stale);

        var education = CreateQualificationRequest.Education(EducationSubmission_educationSegment.HigherEducation, "https://university.example");
        var key = $"order-{Guid.NewGuid()}";
        var submittedHeaders = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var submitted = await qualifications.PostAsync(education, c =>
        {
            c.Headers.Add(IdempotencyKeyHandler.HeaderName, key);
            c.Options.Add(submittedHeaders);
        });
        Assert.NotNull(submitted);
        Assert.Equal("Education", submitted.QualificationProp);
        Assert.Equal("InReview", submitted.VettingStatus);
        Assert.Equal([$"/api/v1/customers/{customerId}/qualifications"], submittedHeaders.ResponseHeaders["Location"]);
        Assert.False(submittedHeaders.ResponseHeaders.ContainsKey("Idempotent-Replayed"));

        var replayHeaders = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var replayed = await qualifications.PostAsync(education, c =>
        {
            c.Headers.Add(IdempotencyKeyHandler.HeaderName, key);
            c.Options.Add(replayHeaders);
        });
        Assert.Equal(["true"], replayHeaders.ResponseHeaders["Idempotent-Replayed"]);
        Assert.Equal(submitted.VettingCreateDate, replayed?.VettingCreateDate);

        // No key of its own: the client sends a fresh one, so this is a second submission,
        // which Partner Center refuses while the first is in review.
        var conflict = await Assert.ThrowsAsync<ProblemDetails>(() => qualifications.PostAsync(education));
        Assert.Equal(409, conflict.ResponseStatusCode);
        Assert.Equal(409, conflict.Status);
        Assert.Equal(409, conflict.Upstream?.Status);
        Assert.False(string.IsNullOrEmpty(conflict.CorrelationId));
        var postKeys = _recorder.Sent.Where(r => r.Method.Method == "POST").Select(r => r.Headers[IdempotencyKeyHandler.HeaderName]).ToList();
        Assert.Equal(3, postKeys.Count);
        Assert.Equal(key, postKeys[0]);
        Assert.Equal(key, postKeys[1]);
        Assert.True(Guid.TryParse(postKeys[2], out _), $"a generated key, not {postKeys[2]}");

        var cached = await qualifications.GetAsync();
        Assert.Equal(CustomerQualifications_source.Cache, cached?.Source);
        var held = Assert.Single(cached!.Qualifications!);
        Assert.Equal(("Education", "InReview"), (held.QualificationProp, held.VettingStatus));

        var history = await qualifications.History.GetAsync();
        var change = Assert.Single(history!.Events!);
        Assert.Equal(("Education", null, "InReview"), (change.Qualification, change.From, change.To));
        Assert.Equal(QualificationHistory_events_trigger.Submit, change.Trigger);

        var pending = await FindPendingAsync(customerId);
        Assert.NotNull(pending);
        Assert.Equal(("Education", "InReview"), (pending.Qualification, pending.VettingStatus));

        var codes = await _client.ValidationCodes.GetAsync();
        Assert.NotEmpty(codes!.ValidationCodesProp!);
        Assert.All(codes.ValidationCodesProp!, c => Assert.False(string.IsNullOrEmpty(c.ValidationId)));
    }

    [Fact]
    public async Task Submits_GovernmentCommunityCloud_with_a_listed_validation_code()
    {
        var customerId = await LocalGateway.CreateCustomerAsync();
        var codes = await _client.ValidationCodes.GetAsync();
        var code = codes!.ValidationCodesProp!.First().ValidationId!;

        var submitted = await _client.Customers[customerId].Qualifications.PostAsync(CreateQualificationRequest.GovernmentCommunityCloud(code));
        Assert.Equal("GovernmentCommunityCloud", submitted?.QualificationProp);
    }

    [Fact]
    public async Task Refuses_a_bad_customer_id_with_problem_details()
    {
        // The typed indexer takes a Guid; the string one (deprecated by Kiota) still lets a bad id through.
#pragma warning disable CS0618
        var notAGuid = _client.Customers["not-a-guid"].Qualifications;
#pragma warning restore CS0618
        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => notAGuid.GetAsync());
        Assert.Equal(400, problem.ResponseStatusCode);
        Assert.Equal("path.customerId", Assert.Single(problem.Errors!).Path);
    }

    [Fact]
    public async Task Sends_a_bearer_token_from_an_Azure_Core_credential_for_the_gateway_scope()
    {
        var credential = new RecordingCredential();
        var client = GatewayClientFactory.Create(new()
        {
            BaseUrl = LocalGateway.BaseUrl,
            Credential = credential,
            Scope = "api://partner-qualifications-gateway/.default",
            FunctionKey = "a-function-key",
        }, _recorder);

        await client.ValidationCodes.GetAsync();

        Assert.Equal(["api://partner-qualifications-gateway/.default"], credential.Scopes);
        var (_, headers) = Assert.Single(_recorder.Sent);
        Assert.Equal($"Bearer {RecordingCredential.Token}", headers["Authorization"]);
        Assert.Equal("a-function-key", headers["x-functions-key"]);
    }

    private async Task<QualificationList_items?> FindPendingAsync(Guid customerId)
    {
        string? continuationToken = null;
        for (var page = 0; page < 50; page++)
        {
            var list = await _client.Qualifications.GetAsync(c =>
            {
                c.QueryParameters.VettingStatus = "InReview";
                c.QueryParameters.PageSize = 200;
                c.QueryParameters.ContinuationToken = continuationToken;
            });
            var item = list!.Items!.FirstOrDefault(i => i.CustomerId == customerId.ToString());
            if (item is not null || list.ContinuationToken is null) return item;
            continuationToken = list.ContinuationToken;
        }
        throw new InvalidOperationException("more than 50 pages of pending qualifications");
    }

    /// <summary>Stands in for an Azure.Identity credential (they all derive from TokenCredential).</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        public const string Token = "token-from-the-credential";
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
