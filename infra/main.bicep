targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource but the static site. It must offer the Flex Consumption plan.')
param location string

@description('Region of the static frontend: Static Web Apps run in a few regions only.')
@allowed(['westus2', 'centralus', 'eastus2', 'westeurope', 'eastasia'])
param webLocation string = 'westeurope'

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID); given the app\'s storage roles so they can inspect data. Empty grants nothing.')
param principalId string = ''

@description('hh.ru app (dev.hh.ru) client id; empty switches hh.ru off.')
param headHunterClientId string = ''

@secure()
@description('hh.ru app client secret; stored in Key Vault.')
param headHunterClientSecret string = ''

@description('Sent as HH-User-Agent on every hh.ru call: "App/version (contact e-mail)".')
param headHunterUserAgent string = ''

@description('SuperJob app id; empty switches SuperJob off.')
param superJobClientId string = ''

@secure()
@description('SuperJob app secret key (v3.r....); stored in Key Vault.')
param superJobClientSecret string = ''

@secure()
@metadata({ azd: { type: 'generate', config: { length: 64, noSpecial: true } } })
@description('Random seed of the JWT signing key. azd generates it once per environment and keeps it, so a new deployment signs nobody out.')
param jwtSigningKeySeed string

@secure()
@metadata({ azd: { type: 'generate', config: { length: 32, noSpecial: true } } })
@description('Random seed of the key that encrypts stored provider tokens (32 characters, used as 32 key bytes). azd generates it once and keeps it: a new key would make every stored token unreadable.')
param tokenEncryptionKeySeed string

@description('Instances the API may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

var headHunterOn = !empty(headHunterClientId)
var superJobOn = !empty(superJobClientId)
var secretNames = {
  jwtSigningKey: 'jwt-signing-key'
  tokenKey: 'token-encryption-key-k1'
  headHunterClientSecret: 'headhunter-client-secret'
  superJobClientSecret: 'superjob-client-secret'
}

resource group 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: group
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  name: 'monitoring'
  params: {
    workspaceName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module vault 'modules/keyvault.bicep' = {
  scope: group
  name: 'keyvault'
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    secrets: union(
      {
        '${secretNames.jwtSigningKey}': base64(jwtSigningKeySeed)
        '${secretNames.tokenKey}': base64(take(tokenEncryptionKeySeed, 32))
      },
      headHunterOn ? { '${secretNames.headHunterClientSecret}': headHunterClientSecret } : {},
      superJobOn ? { '${secretNames.superJobClientSecret}': superJobClientSecret } : {}
    )
  }
}

module web 'modules/staticwebapp.bicep' = {
  scope: group
  name: 'web'
  params: {
    name: '${abbrs.webStaticSites}${resourceToken}'
    location: webLocation
    tags: tags
  }
}

module appRoles 'modules/roles.bicep' = {
  scope: group
  name: 'app-roles'
  params: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    storageAccountName: storage.outputs.name
    keyVaultName: vault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module userRoles 'modules/roles.bicep' = if (!empty(principalId)) {
  scope: group
  name: 'user-roles'
  params: {
    principalId: principalId
    principalType: 'User'
    storageAccountName: storage.outputs.name
  }
}

// The app setting form the platform resolves with keyVaultReferenceIdentity, so the app only ever sees the value.
func keyVaultReference(vaultUri string, secretName string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

// A provider with neither id nor secret is off; its settings are empty rather than absent, so the app's
// "both or neither" check sees exactly what the parameters say.
var appSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  Jwt__SigningKey: keyVaultReference(vault.outputs.uri, secretNames.jwtSigningKey)
  TokenEncryption__CurrentKeyId: 'k1'
  TokenEncryption__Keys__k1: keyVaultReference(vault.outputs.uri, secretNames.tokenKey)
  FrontendUrl: web.outputs.url
  Providers__HeadHunter__ClientId: headHunterClientId
  Providers__HeadHunter__ClientSecret: headHunterOn ? keyVaultReference(vault.outputs.uri, secretNames.headHunterClientSecret) : ''
  Providers__HeadHunter__UserAgent: headHunterUserAgent
  Providers__HeadHunter__MinimumInterval: '04:00:00'
  Providers__SuperJob__ClientId: superJobClientId
  Providers__SuperJob__ClientSecret: superJobOn ? keyVaultReference(vault.outputs.uri, secretNames.superJobClientSecret) : ''
  Providers__SuperJob__MinimumInterval: '01:00:00'
  // The schedules of local.settings.sample.json, which the tests run with (a test keeps the two equal).
  PurgeSpentSignInStatesSchedule: '0 30 3 * * *'
  ReencryptProviderTokensSchedule: '0 45 3 * * *'
  EnqueueDuePublishesSchedule: '0 * * * * *'
  RefreshProviderTokensSchedule: '0 */15 * * * *'
  CleanupSchedule: '0 0 4 * * *'
  Publishing__Jitter: '00:00:05'
  Publishing__Lookahead: '00:01:00'
  Publishing__MaxConcurrentCallsPerProvider: '4'
  Publishing__InFlightTimeout: '00:15:00'
  Publishing__PushLease: '00:02:00'
  Publishing__FailedRetryDelay: '00:15:00'
  Publishing__ForgetDeadSignInsAfter: '30.00:00:00'
  AzureFunctionsJobHost__extensions__queues__visibilityTimeout: '00:00:30'
  AzureFunctionsJobHost__extensions__queues__maxDequeueCount: '5'
}

module api 'modules/functionapp.bicep' = {
  scope: group
  name: 'api'
  dependsOn: [appRoles]
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    name: functionAppName
    location: location
    tags: tags
    identityId: identity.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    allowedOrigin: web.outputs.url
    appSettings: appSettings
    maximumInstanceCount: maximumInstanceCount
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output API_BASE_URL string = api.outputs.url
output SERVICE_WEB_NAME string = web.outputs.name
output SERVICE_WEB_URI string = web.outputs.url
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
