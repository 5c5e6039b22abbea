// The gateway's one identity: storage, Key Vault and Application Insights are reached with it.

@description('Name of the user-assigned managed identity.')
param name string

@description('Region of the identity.')
param location string

param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
