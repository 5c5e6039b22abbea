using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerQualifications.Gateway.Client.Tests;

/// <summary>The running gateway the tests call, and the simulator's control API behind it.</summary>
internal static class LocalGateway
{
    /// <summary>The gateway's API base, from GATEWAY_BASE_URL.</summary>
    public static Uri BaseUrl => new(Setting("GATEWAY_BASE_URL"));

    /// <summary>A new customer of the simulator, with no qualifications: a clean start on any run.</summary>
    public static async Task<Guid> CreateCustomerAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Setting("SIMULATOR_URL")) };
        using var response = await http.PostAsJsonAsync("/_simulator/customers", new { qualifications = Array.Empty<object>() });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<CreatedCustomer>();
        return Guid.Parse(created?.CustomerId ?? throw new InvalidOperationException("the simulator returned no customerId"));
    }

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run these tests with `npm run test:dotnet`, which starts the gateway.");

    private sealed record CreatedCustomer(string CustomerId);
}

/// <summary>The innermost handler: sends for real and keeps each request's headers as they left.</summary>
internal sealed class RecordingHandler() : DelegatingHandler(new HttpClientHandler())
{
    public ConcurrentQueue<(HttpMethod Method, Dictionary<string, string> Headers)> Sent { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sent.Enqueue((request.Method, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
        return base.SendAsync(request, cancellationToken);
    }
}
