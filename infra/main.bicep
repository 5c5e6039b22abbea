// One environment (dev, test, prod…) of the Partner Qualifications Gateway: `azd env new <name>`
// then `azd up`. Everything runs as one user-assigned identity with data-plane roles on single
// resources; no storage key, connection string or secret value is created or output here.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (the azd environment): names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource: one that offers Flex Consumption.')
param location string

@description('Resource group to create or update; empty: rg-<environmentName>.')
param resourceGroupName string = ''

// Partner Center (see README, Security)

@description('PARTNER_CENTER_TENANT_ID: the partner\'s tenant.')
param partnerCenterTenantId string

@description('PARTNER_CENTER_CLIENT_ID: the Partner Center app (with on-behalf-of: the gateway\'s own app registration).')
param partnerCenterClientId string

@description('PARTNER_CENTER_USER_CREDENTIAL: the App+User identity for submissions; empty: secure-application-model.')
@allowed(['', 'secure-application-model', 'on-behalf-of', 'none'])
param partnerCenterUserCredential string = ''

@description('PARTNER_CENTER_BASE_URL: the Partner Center API; empty: https://api.partnercenter.microsoft.com.')
param partnerCenterBaseUrl string = ''

@description('Key Vault secret holding the app\'s client secret, put in by hand; empty: partner-center-client-secret.')
param partnerCenterClientSecretName string = ''

@description('Key Vault secret holding the Secure Application Model refresh token, put in by hand; empty: partner-center-refresh-token.')
param partnerCenterRefreshTokenSecretName string = ''

@description('Set once the refresh token secret exists: grants the gateway the right to roll it (new versions of that secret only).')
param partnerCenterRefreshTokenSecretExists bool = false

// The gateway's own app registration, which callers get tokens for

@description('AUTH_AUDIENCE: the gateway\'s Application ID URI and client id, comma-separated.')
@minLength(1)
param authAudience string

@description('AUTH_TENANT_ID: the tenant callers\' tokens come from; empty: the deployment\'s tenant.')
param authTenantId string = ''

@description('AUTH_ALLOWED_CLIENT_IDS: client ids of the applications allowed to call, comma-separated; empty: any with an app role.')
param authAllowedClientIds string = ''

// Behaviour

@description('STORAGE_TABLE_PREFIX: letters and digits before every table and queue name (to share an account).')
@maxLength(31)
param storageTablePrefix string = ''

@description('CACHE_MAX_AGE_SECONDS: age after which a cached copy is read again from Partner Center; empty: the gateway\'s default.')
param cacheMaxAgeSeconds string = ''

@description('VETTING_REFRESH_SCHEDULE: six-field NCRONTAB schedule of the refresh timer; empty: the gateway\'s default.')
param vettingRefreshSchedule string = ''

// Change events (docs/events.md)

@description('EVENT_SINKS: where change events go; with event-grid the template creates the topic. Empty: queue.')
@allowed(['', 'queue', 'event-grid', 'queue,event-grid'])
param eventSinks string = ''

@description('Event types the example subscriptions receive, comma-separated (e.g. com.partnercenter.qualification.approved); empty: all.')
param eventSubscriptionEventTypes string = ''

@description('HTTPS endpoint of a webhook subscriber (it must answer Event Grid\'s validation handshake); empty: none.')
param eventSubscriptionWebhookUrl string = ''

@description('Application id or URI of the webhook\'s Entra ID app registration, for Entra-authenticated delivery; empty: no token.')
param eventSubscriptionWebhookApplicationIdOrUri string = ''

@description('Tenant of that app registration; empty: the deployment\'s tenant.')
param eventSubscriptionWebhookTenantId string = ''

@description('Resource id of an existing Service Bus queue subscriber; empty: none.')
param eventSubscriptionServiceBusQueueId string = ''

@description('Name of a storage queue the template creates for a subscriber (not the gateway\'s own queue); empty: none.')
param eventSubscriptionStorageQueueName string = ''

@description('Delivery attempts per event (1-30) before it is dead-lettered; empty: 30.')
param eventDeliveryMaxAttempts string = ''

@description('Minutes (1-1440) Event Grid keeps retrying an event before it is dead-lettered; empty: 1440.')
param eventTimeToLiveInMinutes string = ''

// Size

@description('Storage redundancy: Standard_ZRS for production where the region has zones; empty: Standard_LRS.')
@allowed(['', 'Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = ''

@description('Instances the Function App may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of one instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Node.js version of the Functions runtime; empty: 22.')
@allowed(['', '22', '24'])
param nodeVersion string = ''

@description('Object id of a person or group who puts the secret values into Key Vault (Key Vault Secrets Officer on the vault), or empty.')
param keyVaultAdminPrincipalId string = ''

// Monitoring

@description('E-mail address the alert rules notify (an action group is created); empty: alerts show in the portal only.')
param alertEmailAddress string = ''

@description('Days a vetting may stay InReview before an alert fires; empty: 30.')
param pendingVettingAlertDays string = ''

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-gateway-${token}'
  logAnalytics: 'log-gateway-${token}'
  applicationInsights: 'appi-gateway-${token}'
  storage: 'stgw${token}'
  keyVault: 'kv-gw-${token}'
  plan: 'plan-gateway-${token}'
  actionGroup: 'ag-gateway-${token}'
  functionApp: 'func-gateway-${token}'
  deploymentContainer: 'app-package'
  eventGridTopic: 'evgt-gateway-${token}'
  deadLetterContainer: 'event-dead-letters'
}
// Endpoints follow from the names, so the app settings are known before anything exists.
var endpoints = {
  blob: 'https://${names.storage}.blob.${environment().suffixes.storage}/'
  table: 'https://${names.storage}.table.${environment().suffixes.storage}/'
  queue: 'https://${names.storage}.queue.${environment().suffixes.storage}/'
  keyVault: 'https://${names.keyVault}${environment().suffixes.keyvaultDns}/'
}
// azd passes an unset environment value as empty: empty means the default.
var userCredential = empty(partnerCenterUserCredential) ? 'secure-application-model' : partnerCenterUserCredential
var secureApplicationModel = userCredential == 'secure-application-model'
var eventGridEnabled = contains(split(eventSinks, ','), 'event-grid')
var secretNames = {
  clientSecret: empty(partnerCenterClientSecretName) ? 'partner-center-client-secret' : partnerCenterClientSecretName
  refreshToken: empty(partnerCenterRefreshTokenSecretName)
    ? 'partner-center-refresh-token'
    : partnerCenterRefreshTokenSecretName
}

resource resourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: resourceGroup
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: resourceGroup
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module alerts 'modules/alerts.bicep' = {
  scope: resourceGroup
  params: {
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    actionGroupName: names.actionGroup
    alertEmailAddress: alertEmailAddress
    pendingVettingAlertDays: empty(pendingVettingAlertDays) ? 30 : int(pendingVettingAlertDays)
  }
  dependsOn: [monitoring]
}

module workbook 'modules/workbook.bicep' = {
  scope: resourceGroup
  params: {
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    displayName: 'Partner Qualifications Gateway (${environmentName})'
  }
  dependsOn: [monitoring]
}

module storage 'modules/storage.bicep' = {
  scope: resourceGroup
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: empty(storageSku) ? 'Standard_LRS' : storageSku
    tablePrefix: storageTablePrefix
    deploymentContainerName: names.deploymentContainer
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  scope: resourceGroup
  params: {
    name: names.keyVault
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    refreshTokenSecretName: secureApplicationModel ? secretNames.refreshToken : ''
    refreshTokenSecretExists: secureApplicationModel && partnerCenterRefreshTokenSecretExists
    keyVaultAdminPrincipalId: keyVaultAdminPrincipalId
  }
}

module eventGrid 'modules/event-grid.bicep' = if (eventGridEnabled) {
  scope: resourceGroup
  params: {
    name: names.eventGridTopic
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
    storageAccountName: names.storage
    deadLetterContainerName: names.deadLetterContainer
    includedEventTypes: filter(map(split(eventSubscriptionEventTypes, ','), t => trim(t)), t => !empty(t))
    maxDeliveryAttempts: empty(eventDeliveryMaxAttempts) ? 30 : int(eventDeliveryMaxAttempts)
    eventTimeToLiveInMinutes: empty(eventTimeToLiveInMinutes) ? 1440 : int(eventTimeToLiveInMinutes)
    webhookUrl: eventSubscriptionWebhookUrl
    webhookTenantId: empty(eventSubscriptionWebhookTenantId) ? tenant().tenantId : eventSubscriptionWebhookTenantId
    webhookApplicationIdOrUri: eventSubscriptionWebhookApplicationIdOrUri
    serviceBusQueueId: eventSubscriptionServiceBusQueueId
    storageQueueName: eventSubscriptionStorageQueueName
  }
  dependsOn: [storage]
}

// The settings the gateway reads (shared/settings.ts) that an environment sets; an empty value
// keeps the gateway's own default (README, Configuration), as an unset setting does.
var gatewaySettings = {
  PARTNER_CENTER_BASE_URL: empty(partnerCenterBaseUrl)
    ? 'https://api.partnercenter.microsoft.com'
    : partnerCenterBaseUrl
  PARTNER_CENTER_CREDENTIAL: 'client-secret'
  PARTNER_CENTER_USER_CREDENTIAL: userCredential
  PARTNER_CENTER_TENANT_ID: partnerCenterTenantId
  PARTNER_CENTER_CLIENT_ID: partnerCenterClientId
  PARTNER_CENTER_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${endpoints.keyVault}secrets/${secretNames.clientSecret}/)'
  PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: secureApplicationModel
    ? '${endpoints.keyVault}secrets/${secretNames.refreshToken}'
    : ''
  AUTH_AUDIENCE: authAudience
  AUTH_TENANT_ID: empty(authTenantId) ? tenant().tenantId : authTenantId
  AUTH_IDENTITY_SOURCE: 'bearer-token'
  AUTH_ALLOWED_CLIENT_IDS: authAllowedClientIds
  STORAGE_TABLE_ENDPOINT: endpoints.table
  STORAGE_QUEUE_ENDPOINT: endpoints.queue
  STORAGE_TABLE_PREFIX: storageTablePrefix
  CACHE_MAX_AGE_SECONDS: cacheMaxAgeSeconds
  VETTING_REFRESH_SCHEDULE: vettingRefreshSchedule
  EVENT_SINKS: eventSinks
  EVENT_GRID_TOPIC_ENDPOINT: eventGridEnabled ? eventGrid!.outputs.endpoint : ''
}

module functionApp 'modules/function-app.bicep' = {
  scope: resourceGroup
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: names.storage
    deploymentContainerUrl: '${endpoints.blob}${names.deploymentContainer}'
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    gatewaySettings: gatewaySettings
    nodeVersion: empty(nodeVersion) ? '22' : nodeVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The identity's roles on storage, Key Vault (and the topic, through its endpoint) exist
  // before the app starts.
  dependsOn: [storage, keyVault]
}

output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output GATEWAY_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api/v1'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output EVENTS_QUEUE_NAME string = storage.outputs.eventsQueueName
output EVENT_GRID_TOPIC_NAME string = eventGridEnabled ? eventGrid!.outputs.name : ''
