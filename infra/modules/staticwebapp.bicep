param name string
param location string
param tags object

// Free tier, deployed by azd ("Custom" provider: no repository link). The frontend calls the Function App
// directly, which allows exactly this site's origin.
resource web 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  sku: {
    name: 'Free'
    tier: 'Free'
  }
  properties: {
    provider: 'Custom'
    allowConfigFileUpdates: true
  }
}

output name string = web.name
output url string = 'https://${web.properties.defaultHostname}'
