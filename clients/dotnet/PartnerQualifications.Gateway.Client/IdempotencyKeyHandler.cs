using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerQualifications.Gateway.Client;

/// <summary>
/// Gives every POST without an <c>Idempotency-Key</c> a fresh one, so that the gateway records its
/// answer and a retry of the same request (Kiota's retry handler resends it) is answered from that
/// record instead of submitting twice. To retry a POST whose answer was lost, set a key of your
/// own (e.g. from your order id) and send the same key again.
/// </summary>
public sealed class IdempotencyKeyHandler : DelegatingHandler
{
    /// <summary>The header's name.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && !request.Headers.Contains(HeaderName))
            request.Headers.TryAddWithoutValidation(HeaderName, Guid.NewGuid().ToString());
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Sends the Function App's function key on every request.</summary>
public sealed class FunctionKeyHandler(string functionKey) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("x-functions-key");
        request.Headers.TryAddWithoutValidation("x-functions-key", functionKey);
        return base.SendAsync(request, cancellationToken);
    }
}
