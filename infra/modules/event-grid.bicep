// The vetting events' Event Grid custom topic (CloudEvents 1.0 input, Entra ID only) and its
// optional subscriptions: an HTTPS webhook with Entra ID delivery, a Service Bus queue, a queue
// of the environment's storage account. Each filters by event type, retries, and dead-letters to
// a container of that account; the topic's own identity writes the dead letters and queue
// messages, because the account takes no shared keys.

param name string
param location string
param tags object

@description('Principal id of the gateway identity: EventGrid Data Sender on this topic only.')
param publisherPrincipalId string

@description('The environment\'s storage account (dead letters, and the storage queue subscription).')
param storageAccountName string

@description('Blob container for events no subscriber would take.')
param deadLetterContainerName string

@description('Event types each subscription receives; empty: all of them.')
param includedEventTypes array

@description('Delivery attempts before an event is dead-lettered (1-30).')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int

@description('Minutes Event Grid keeps retrying an event (1-1440).')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int

@description('HTTPS endpoint of a webhook subscriber; empty: none. It must answer the validation handshake when the subscription is created.')
param webhookUrl string

@description('Tenant of the webhook\'s Entra ID app registration.')
param webhookTenantId string

@description('Application id or URI of the webhook\'s Entra ID app registration: Event Grid sends a token for it; empty: no token.')
param webhookApplicationIdOrUri string

@description('Resource id of an existing Service Bus queue subscriber; empty: none.')
param serviceBusQueueId string

@description('Name of a queue created in the storage account for a subscriber; empty: none.')
param storageQueueName string

var roles = {
  eventGridDataSender: 'd5a91429-5739-47e2-a06b-3470a27159e7'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
}

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    minimumTlsVersionAllowed: '1.2'
    publicNetworkAccess: 'Enabled'
    dataResidencyBoundary: 'WithinGeopair'
  }
}

// The gateway publishes with its identity; no access key exists to leak.
resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, publisherPrincipalId, roles.eventGridDataSender)
  scope: topic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventGridDataSender)
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' existing = {
  parent: account
  name: 'default'
}

resource deadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: deadLetterContainerName
  properties: { publicAccess: 'None' }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetters.id, topic.id, roles.storageBlobDataContributor)
  scope: deadLetters
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' existing = if (!empty(storageQueueName)) {
  parent: account
  name: 'default'
}

resource subscriberQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = if (!empty(storageQueueName)) {
  parent: queueService
  name: empty(storageQueueName) ? 'unused' : storageQueueName
}

resource queueWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(storageQueueName)) {
  name: guid(subscriberQueue.id, topic.id, roles.storageQueueDataMessageSender)
  scope: subscriberQueue
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataMessageSender
    )
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// What every subscription shares: CloudEvents out as they came in, the type filter, retries for
// up to a day, and dead letters in the container.
var common = {
  eventDeliverySchema: 'CloudEventSchemaV1_0'
  filter: empty(includedEventTypes) ? {} : { includedEventTypes: includedEventTypes }
  retryPolicy: {
    maxDeliveryAttempts: maxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
  }
  deadLetterWithResourceIdentity: {
    identity: { type: 'SystemAssigned' }
    deadLetterDestination: {
      endpointType: 'StorageBlob'
      properties: {
        resourceId: account.id
        blobContainerName: deadLetters.name
      }
    }
  }
}

resource webhook 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = if (!empty(webhookUrl)) {
  parent: topic
  name: 'webhook'
  properties: union(common, {
    destination: {
      endpointType: 'WebHook'
      properties: union(
        {
          endpointUrl: webhookUrl
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        },
        empty(webhookApplicationIdOrUri)
          ? {}
          : {
              azureActiveDirectoryTenantId: webhookTenantId
              azureActiveDirectoryApplicationIdOrUri: webhookApplicationIdOrUri
            }
      )
    }
  })
  dependsOn: [deadLetterWriter]
}

resource serviceBus 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = if (!empty(serviceBusQueueId)) {
  parent: topic
  name: 'service-bus-queue'
  properties: union(common, {
    destination: {
      endpointType: 'ServiceBusQueue'
      properties: { resourceId: serviceBusQueueId }
    }
  })
  dependsOn: [deadLetterWriter]
}

resource storageQueue 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = if (!empty(storageQueueName)) {
  parent: topic
  name: 'storage-queue'
  properties: union(common, {
    deliveryWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: account.id
          queueName: subscriberQueue.name
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
  })
  dependsOn: [deadLetterWriter, queueWriter]
}

output name string = topic.name
output endpoint string = topic.properties.endpoint
