using Azure.Data.Tables;

namespace PushResume.Storage;

/// <summary>The app's tables, resolved once from the one <see cref="TableServiceClient"/>.</summary>
public sealed class PushResumeTables(TableServiceClient service)
{
    public TableClient Users { get; } = service.GetTableClient("Users");

    public TableClient Identities { get; } = service.GetTableClient("Identities");

    public TableClient Resumes { get; } = service.GetTableClient("Resumes");

    public TableClient SpentStates { get; } = service.GetTableClient("SpentStates");

    public TableClient Schedule { get; } = service.GetTableClient("PublishSchedule");

    public TableClient PushLog { get; } = service.GetTableClient("PushLog");

    public TableClient Stats { get; } = service.GetTableClient("Stats");

    public IEnumerable<TableClient> All => [Users, Identities, Resumes, SpentStates, Schedule, PushLog, Stats];
}
