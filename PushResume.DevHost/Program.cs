using PushResume.DevHost;

await DevHostApplication.Create(args).RunAsync();
