using System;
using System.Collections.Generic;
using System.Net.Http;
using Azure.Core;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace PartnerQualifications.Gateway.Client;

/// <summary>How to reach the gateway and authenticate to it.</summary>
public sealed class GatewayClientOptions
{
    /// <summary>The API base, e.g. <c>https://&lt;app&gt;.azurewebsites.net/api/v1</c> or <c>http://127.0.0.1:7071/api/v1</c>.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>
    /// Where the gateway requires Entra ID tokens: an Azure.Identity credential
    /// (<c>DefaultAzureCredential</c>, <c>ManagedIdentityCredential</c>, <c>ClientSecretCredential</c>…).
    /// Null against a local run (inbound auth off).
    /// </summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>The gateway app registration's scope, e.g. <c>api://partner-qualifications-gateway/.default</c>.</summary>
    public string? Scope { get; init; }

    /// <summary>The Function App's function key (<c>x-functions-key</c>), where the routes require one.</summary>
    public string? FunctionKey { get; init; }
}

/// <summary>Builds a <see cref="GatewayClient"/> with authentication and the gateway's conventions.</summary>
public static class GatewayClientFactory
{
    /// <summary>
    /// A client whose requests carry a bearer token from <see cref="GatewayClientOptions.Credential"/>
    /// (cached and renewed by Kiota's Azure provider), the function key if set, and an
    /// <c>Idempotency-Key</c> on every POST that has none. Kiota's default handlers stay in place
    /// (retries honouring <c>Retry-After</c>, redirects, header inspection).
    /// </summary>
    /// <param name="options">Where the gateway is and how to authenticate.</param>
    /// <param name="finalHandler">The innermost handler (tests, proxies); the platform's by default.</param>
    public static GatewayClient Create(GatewayClientOptions options, HttpMessageHandler? finalHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handlers = KiotaClientFactory.CreateDefaultHandlers();
        handlers.Add(new IdempotencyKeyHandler());
        if (options.FunctionKey is { } key) handlers.Add(new FunctionKeyHandler(key));
        var httpClient = KiotaClientFactory.Create(handlers, finalHandler);
        var adapter = new HttpClientRequestAdapter(Authentication(options), httpClient: httpClient)
        {
            BaseUrl = options.BaseUrl.ToString().TrimEnd('/'),
        };
        return new GatewayClient(adapter);
    }

    private static IAuthenticationProvider Authentication(GatewayClientOptions options)
    {
        if (options.Credential is null) return new AnonymousAuthenticationProvider();
        if (string.IsNullOrEmpty(options.Scope))
            throw new ArgumentException("A credential needs the gateway's scope (e.g. api://partner-qualifications-gateway/.default).", nameof(options));
        return new AzureIdentityAuthenticationProvider(
            options.Credential,
            allowedHosts: [options.BaseUrl.Host],
            scopes: [options.Scope]);
    }
}
