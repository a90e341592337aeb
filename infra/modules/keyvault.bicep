param name string
param location string
param tags object

@secure()
@description('Secret name to value. Values come from @secure() parameters, never from the templates.')
param secrets object

// RBAC mode: access is granted by role assignments (Key Vault Secrets User for the app), not access policies.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for item in items(secrets): {
    parent: vault
    name: item.key
    properties: {
      value: item.value
    }
  }
]

output name string = vault.name
output uri string = vault.properties.vaultUri
