// The environment's storage account: the Functions host's storage, the deployment package, and
// the gateway's tables and events queue. Shared keys are off: everything is reached with Entra ID.

param name string
param location string
param tags object

@description('Redundancy of the account, e.g. Standard_LRS, or Standard_ZRS where the region has zones.')
param skuName string

@description('STORAGE_TABLE_PREFIX: letters and digits put before every table and queue name.')
param tablePrefix string

@description('Blob container the Flex Consumption app is deployed from.')
param deploymentContainerName string

@description('Principal id of the gateway identity.')
param principalId string

// The gateway's tables and events queue, as shared/storage/tables.ts and
// queue-event-publisher.ts name them (a test compares the two).
var gatewayTables = [
  'CustomerQualifications'
  'PendingWork'
  'IdempotencyRecords'
  'QualificationsByStatus'
  'VettingDecisions'
]
var eventsQueue = '${toLower(tablePrefix)}qualification-events'

var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  queueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
}

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = [
  for table in gatewayTables: {
    parent: tableService
    name: '${tablePrefix}${table}'
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource queue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = {
  parent: queueService
  name: eventsQueue
}

// The Functions host keeps its keys and timer locks in blobs, and Flex Consumption reads the
// deployment package from the container: blob data on this account.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, roles.blobDataOwner)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Entities of the gateway's tables only: no right to create or delete tables.
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (table, i) in gatewayTables: {
    name: guid(tables[i].id, principalId, roles.tableDataContributor)
    scope: tables[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// The gateway only sends events; consumers get their own roles on the queue.
resource queueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue.id, principalId, roles.queueDataMessageSender)
  scope: queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataMessageSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = account.name
output eventsQueueName string = queue.name
