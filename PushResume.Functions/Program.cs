using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PushResume;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddPushResume(builder.Configuration);
builder.Services.AddPushResumeTelemetry(builder.Configuration);
builder.Build().Run();
