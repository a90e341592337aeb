using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PushResume.DevHost;
using PushResume.Http;
using PushResume.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PushResume.Tests.Infra;

/// <summary>
/// The security and completeness of what <c>azd up</c> provisions, read from the ARM JSON that
/// <c>bicep build infra/main.bicep</c> compiles (the test command builds and lints it first).
/// </summary>
public sealed class InfraTemplateTests
{
    private static readonly ArmTemplate Arm = ArmTemplate.Main;

    private static JsonObject AppSettings => Arm.Parameter("api", "appSettings").AsObject();

    private static JsonObject Site => Arm.ModuleResource("api", "Microsoft.Web/sites");

    [Fact]
    public void No_account_key_is_read_or_set_anywhere()
    {
        Assert.DoesNotContain("listKeys", Arm.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", Arm.Text, StringComparison.OrdinalIgnoreCase);
        Assert.False(AppSettings.ContainsKey("AzureWebJobsStorage"));
    }

    [Fact]
    public void Storage_allows_identities_only_over_tls_1_2_and_nothing_public()
    {
        var storage = Arm.ModuleResource("storage", "Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(storage["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.Single(Arm.ModuleResources("storage", "Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Single(Arm.ModuleResources("storage", "Microsoft.Storage/storageAccounts/queueServices"));
        Assert.Single(Arm.ModuleResources("storage", "Microsoft.Storage/storageAccounts/tableServices"));
    }

    [Fact]
    public void The_function_app_is_flex_consumption_dotnet_10_https_only_with_tls_1_2_and_no_ftp()
    {
        var site = Site["properties"]!;
        var plan = Arm.ModuleResource("api", "Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.True(site["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", site["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
        Assert.Equal("Disabled", site["siteConfig"]!["ftpsState"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", site["functionAppConfig"]!["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", site["functionAppConfig"]!["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", site["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal("UserAssigned", Site["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("[parameters('identityId')]", site["keyVaultReferenceIdentity"]!.GetValue<string>());
        Assert.All(
            Arm.ModuleResources("api", "Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            policy => Assert.False(policy["properties"]!["allow"]!.GetValue<bool>()));
        Assert.Equal(2, Arm.ModuleResources("api", "Microsoft.Web/sites/basicPublishingCredentialsPolicies").Count);
        Assert.Contains("createObject('azd-service-name', 'api')", Site["tags"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Flex_rejected_settings_are_absent_and_storage_is_reached_by_the_managed_identity()
    {
        Assert.False(AppSettings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.False(AppSettings.ContainsKey("WEBSITE_RUN_FROM_PACKAGE"));
        Assert.False(AppSettings.ContainsKey("FUNCTIONS_EXTENSION_VERSION"));
        Assert.Equal("managedidentity", AppSettings["AzureWebJobsStorage__credential"]!.GetValue<string>());
        Assert.Contains(".outputs.clientId.value", AppSettings["AzureWebJobsStorage__clientId"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Contains($".outputs.{service}Endpoint.value", AppSettings[$"AzureWebJobsStorage__{service}ServiceUri"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Jwt__SigningKey", "jwtSigningKey")]
    [InlineData("TokenEncryption__Keys__k1", "tokenKey")]
    [InlineData("Providers__HeadHunter__ClientSecret", "headHunterClientSecret")]
    [InlineData("Providers__SuperJob__ClientSecret", "superJobClientSecret")]
    public void Every_secret_setting_is_a_key_vault_reference(string setting, string secret)
    {
        var value = AppSettings[setting]!.GetValue<string>();
        var reference = Arm.Root["functions"]![0]!["members"]!["keyVaultReference"]!["output"]!["value"]!.GetValue<string>();

        Assert.Contains("__bicep.keyVaultReference(", value, StringComparison.Ordinal);
        Assert.Contains($"variables('secretNames').{secret})", value, StringComparison.Ordinal);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)'", reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_secrets_come_from_azd_and_never_from_literals()
    {
        var parameters = Arm.Root["parameters"]!.AsObject();
        foreach (var name in new[] { "jwtSigningKeySeed", "tokenEncryptionKeySeed" })
        {
            Assert.Equal("securestring", parameters[name]!["type"]!.GetValue<string>());
            Assert.Null(parameters[name]!["defaultValue"]);
            Assert.Equal("generate", parameters[name]!["metadata"]!["azd"]!["type"]!.GetValue<string>());
        }

        Assert.Equal("securestring", parameters["headHunterClientSecret"]!["type"]!.GetValue<string>());
        Assert.Equal("securestring", parameters["superJobClientSecret"]!["type"]!.GetValue<string>());
        Assert.Equal("secureObject", Arm.Module("keyvault")["properties"]!["template"]!["parameters"]!["secrets"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_identity_gets_storage_key_vault_and_monitoring_roles_and_the_deploying_user_storage_roles()
    {
        var roles = Arm.Module("app-roles")["properties"]!["template"]!["variables"]!.AsObject();
        Assert.Equal("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", roles["storageBlobDataOwner"]!.GetValue<string>());
        Assert.Equal("974c5e8b-45b9-4653-ba55-5f855dd0fb88", roles["storageQueueDataContributor"]!.GetValue<string>());
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", roles["storageTableDataContributor"]!.GetValue<string>());
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", roles["keyVaultSecretsUser"]!.GetValue<string>());
        Assert.Equal("3913510d-42f4-4e42-8a64-420c390055eb", roles["monitoringMetricsPublisher"]!.GetValue<string>());
        Assert.Equal(3, Arm.ModuleResources("app-roles", "Microsoft.Authorization/roleAssignments").Count);

        Assert.Equal("ServicePrincipal", Arm.Parameter("app-roles", "principalType").GetValue<string>());
        Assert.Contains("'identity'", Arm.Parameter("app-roles", "principalId").GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(".outputs.principalId.value", Arm.Parameter("app-roles", "principalId").GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[reference('vault').outputs.name.value]", Arm.Parameter("app-roles", "keyVaultName").GetValue<string>());
        Assert.Equal("[reference('monitoring').outputs.applicationInsightsName.value]", Arm.Parameter("app-roles", "applicationInsightsName").GetValue<string>());

        Assert.Equal("User", Arm.Parameter("user-roles", "principalType").GetValue<string>());
        Assert.Equal("[not(empty(parameters('principalId')))]", Arm.Module("user-roles")["condition"]!.GetValue<string>());
    }

    [Fact]
    public void Key_vault_is_in_rbac_mode_and_application_insights_accepts_no_keys()
    {
        var vault = Arm.ModuleResource("keyvault", "Microsoft.KeyVault/vaults")["properties"]!;
        var insights = Arm.ModuleResource("monitoring", "Microsoft.Insights/components")["properties"]!;

        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(insights["DisableLocalAuth"]!.GetValue<bool>());
        Assert.Contains("Authorization=AAD", AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cors_allows_exactly_the_static_sites_origin_which_is_also_the_frontend_url()
    {
        var origins = Site["properties"]!["siteConfig"]!["cors"]!["allowedOrigins"]!.AsArray();
        var webUrl = Arm.Parameter("api", "allowedOrigin").GetValue<string>();

        Assert.Equal("[parameters('allowedOrigin')]", Assert.Single(origins)!.GetValue<string>());
        Assert.False(Site["properties"]!["siteConfig"]!["cors"]!["supportCredentials"]!.GetValue<bool>());
        Assert.Contains("'web'", webUrl, StringComparison.Ordinal);
        Assert.Contains(".outputs.url.value", webUrl, StringComparison.Ordinal);
        Assert.Equal(webUrl, AppSettings["FrontendUrl"]!.GetValue<string>());
        var web = Arm.ModuleResource("web", "Microsoft.Web/staticSites");
        Assert.Equal("Free", web["sku"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Timer_schedules_are_the_ones_the_app_is_tested_with()
    {
        foreach (var (name, schedule) in LocalSettings.SampleSchedules())
        {
            Assert.Equal(schedule, AppSettings[name.Replace(":", "__", StringComparison.Ordinal)]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Every_setting_the_app_reads_at_start_up_is_provisioned()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AsDeployed(AppSettings)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPushResume(configuration);
        services.AddPushResumeTelemetry(configuration);
        await using var provider = services.BuildServiceProvider();

        // Every options class validates as at start-up; every timer's schedule setting resolves; the storage
        // clients build from the identity settings; telemetry is wired to the deployed resource.
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.All(FunctionCatalog.All.Where(f => f.Timer is not null), f => BindingExpressions.Resolve(f.Timer!.Schedule, configuration));
        Assert.Equal("https://st.table.core.windows.net/", provider.GetRequiredService<TableServiceClient>().Uri.ToString());
        Assert.Equal("https://st.queue.core.windows.net/", provider.GetRequiredService<QueueServiceClient>().Uri.ToString());
        Assert.Contains("InstrumentationKey=", provider.GetRequiredService<TelemetryConfiguration>().ConnectionString, StringComparison.Ordinal);
        // The Application Insights provider's own Warning floor is removed, so "Published resume ..." reaches it.
        Assert.DoesNotContain(
            provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules,
            rule => rule.ProviderName == typeof(Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider).FullName);
    }

    [Fact]
    public void Outputs_give_azd_and_the_frontend_hook_what_they_use()
    {
        var outputs = Arm.Root["outputs"]!.AsObject();

        foreach (var output in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_NAME", "SERVICE_API_NAME", "API_BASE_URL", "SERVICE_WEB_NAME", "SERVICE_WEB_URI", "AZURE_KEY_VAULT_NAME" })
        {
            Assert.True(outputs.ContainsKey(output), output);
        }
    }

    [Fact]
    public void Azure_yaml_deploys_the_api_and_the_web_with_the_api_url_handed_to_the_frontend()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepositoryPaths.Combine("azure.yaml"))));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var api = (YamlMappingNode)services["api"];
        var web = (YamlMappingNode)services["web"];

        Assert.Equal("function", api["host"].ToString());
        Assert.Equal("./PushResume.Functions", api["project"].ToString());
        Assert.Equal("staticwebapp", web["host"].ToString());
        var hook = ((YamlMappingNode)((YamlMappingNode)web["hooks"])["prepackage"])["posix"];
        var script = RepositoryPaths.Combine("web", ((YamlMappingNode)hook)["run"].ToString());
        Assert.Contains("API_BASE_URL", File.ReadAllText(script), StringComparison.Ordinal);
    }

    /// <summary>
    /// azd packages a <c>language: js</c> service with npm: install, the build script, the prepackage hook, the
    /// package script, then a copy of <c>dist</c>. Each step must pass on the plain static site, and what is
    /// deployed is the site pointed at the deployed API.
    /// </summary>
    [Fact]
    public async Task The_web_service_packages_as_azd_does_with_the_frontend_and_its_csp_pointed_at_the_deployed_api()
    {
        var web = Directory.CreateTempSubdirectory("pushresume-web-");
        foreach (var file in Directory.GetFiles(RepositoryPaths.Combine("web")))
        {
            File.Copy(file, Path.Combine(web.FullName, Path.GetFileName(file)));
        }

        // Offline, so that the test talks to no registry; the site has no dependencies to fetch anyway.
        await RunAsync(web, "npm", "install", "--offline", "--no-audit", "--no-fund");
        await RunAsync(web, "npm", "run", "build", "--if-present");
        await RunAsync(web, "sh", RepositoryPaths.Combine("infra", "hooks", "web-config.sh"));
        await RunAsync(web, "npm", "run", "package", "--if-present");

        var dist = Path.Combine(web.FullName, "dist");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dist, "config.json")))!;
        var swa = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dist, "staticwebapp.config.json")))!;
        Assert.Equal("https://func-api-abc.azurewebsites.net", config["apiBaseUrl"]!.GetValue<string>());
        Assert.Contains("connect-src 'self' https://func-api-abc.azurewebsites.net;", swa["globalHeaders"]!["Content-Security-Policy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dist, "index.html")));
        Assert.False(File.Exists(Path.Combine(dist, "package.json")), "npm's files are not part of the site");
        Assert.False(File.Exists(Path.Combine(dist, "package-lock.json")), "npm's files are not part of the site");
        web.Delete(recursive: true);
    }

    private static async Task RunAsync(DirectoryInfo workingDirectory, string command, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = workingDirectory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["API_BASE_URL"] = "https://func-api-abc.azurewebsites.net/";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await errors}");
    }

    /// <summary>
    /// The values the settings take once deployed, for the expressions the template computes: module outputs,
    /// parameters at their defaults, and Key Vault references resolved to secrets of the generated shape.
    /// </summary>
    private static Dictionary<string, string?> AsDeployed(JsonObject settings)
    {
        var parameters = Arm.Root["parameters"]!.AsObject();
        var deployed = new Dictionary<string, string?> { ["WEBSITE_SITE_NAME"] = "func-api-test" };
        foreach (var (name, node) in settings)
        {
            var value = node!.GetValue<string>();
            deployed[name.Replace("__", ":", StringComparison.Ordinal)] = value switch
            {
                _ when !value.StartsWith('[') => value,
                _ when value.StartsWith("[parameters('", StringComparison.Ordinal) => parameters[value[13..^3]]!["defaultValue"]!.GetValue<string>(),
                _ when value.StartsWith("[if(variables('", StringComparison.Ordinal) => string.Empty,
                _ when value.Contains("__bicep.keyVaultReference(", StringComparison.Ordinal) && name.StartsWith("Jwt", StringComparison.Ordinal) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)),
                _ when value.Contains("__bicep.keyVaultReference(", StringComparison.Ordinal) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                _ when value.Contains("Authorization=AAD", StringComparison.Ordinal) => $"ClientId={Guid.NewGuid()};Authorization=AAD",
                _ when value.Contains(".outputs.clientId.value", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
                _ when value.Contains(".outputs.blobEndpoint.value", StringComparison.Ordinal) => "https://st.blob.core.windows.net/",
                _ when value.Contains(".outputs.queueEndpoint.value", StringComparison.Ordinal) => "https://st.queue.core.windows.net/",
                _ when value.Contains(".outputs.tableEndpoint.value", StringComparison.Ordinal) => "https://st.table.core.windows.net/",
                _ when value.Contains(".outputs.connectionString.value", StringComparison.Ordinal) => $"InstrumentationKey={Guid.NewGuid()};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
                _ when value.Contains(".outputs.url.value", StringComparison.Ordinal) => "https://stapp-test.azurestaticapps.net",
                _ => throw new InvalidOperationException($"The test does not know what {name} = {value} becomes once deployed; teach AsDeployed"),
            };
        }

        return deployed;
    }
}
