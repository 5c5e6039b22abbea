// The environment's Key Vault: authorization by Azure RBAC, soft delete and purge protection. It
// holds the Partner Center client secret and, for the Secure Application Model, the refresh token;
// the template creates no secret values (see README, Deploying).

param name string
param location string
param tags object

@description('Principal id of the gateway identity, which reads the secrets.')
param principalId string

@description('Name of the secret that holds the Secure Application Model refresh token, or empty.')
param refreshTokenSecretName string

@description('Whether that secret exists yet: the gateway may roll it (write new versions) only once it does.')
param refreshTokenSecretExists bool

@description('Object id of a person or group who puts the secret values in (Key Vault Secrets Officer), or empty.')
param keyVaultAdminPrincipalId string

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

var roles = {
  secretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Reads the client secret (a Key Vault reference in the app settings) and the refresh token. The
// vault belongs to this environment's gateway alone.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.secretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource refreshTokenSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' existing = if (refreshTokenSecretExists) {
  parent: vault
  name: refreshTokenSecretName
}

// Writes each rolled refresh token as a new version of that one secret, and nothing else.
resource refreshTokenOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (refreshTokenSecretExists) {
  name: guid(vault.id, refreshTokenSecretName, principalId, roles.secretsOfficer)
  scope: refreshTokenSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.secretsOfficer)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultAdminPrincipalId)) {
  name: guid(vault.id, keyVaultAdminPrincipalId, roles.secretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.secretsOfficer)
    principalId: keyVaultAdminPrincipalId
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
