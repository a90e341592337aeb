param planName string
param name string
param location string
param tags object

@description('Resource id of the user-assigned identity the app runs as, reads Key Vault references with, and deploys with.')
param identityId string

param storageBlobEndpoint string
param deploymentContainerName string

@description('The one origin allowed to call the API from a browser: the static frontend.')
param allowedOrigin string

@description('App settings. Secrets are Key Vault references, never values.')
param appSettings object

@description('Instances the app may scale out to; with the per-site cap per instance this bounds the call rate to each job site.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// Flex Consumption: the runtime and scale live in functionAppConfig; FUNCTIONS_WORKER_RUNTIME and
// WEBSITE_RUN_FROM_PACKAGE are rejected there, so the settings carry neither.
resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Without it a user-assigned-only app cannot resolve @Microsoft.KeyVault(...) settings.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: [allowedOrigin]
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }

  // No FTP and no basic-auth deployments: azd deploys with the identity of whoever runs it.
  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
