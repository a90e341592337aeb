using System.Xml.Linq;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Unit;

public sealed class RepositoryHygieneTests
{
    [Fact]
    public void Local_settings_are_ignored_by_git_and_never_published()
    {
        var ignored = File.ReadAllLines(RepositoryPaths.Combine(".gitignore")).Select(l => l.Trim());
        var project = XDocument.Load(RepositoryPaths.Combine("PushResume.Functions", "PushResume.Functions.csproj"));
        var item = project.Descendants("None").Single(e => (string?)e.Attribute("Update") == "local.settings.json");

        Assert.Contains("local.settings.json", ignored);
        Assert.Equal("Never", (string?)item.Attribute("CopyToPublishDirectory"));
    }

    [Fact]
    public void Host_json_at_the_root_is_the_one_the_build_output_carries()
    {
        var root = File.ReadAllText(RepositoryPaths.Combine("host.json"));
        var output = File.ReadAllText(RepositoryPaths.Combine("PushResume.Functions", "bin", RepositoryPaths.Configuration, "net10.0", "host.json"));

        Assert.Equal(root, output);
        Assert.Contains("\"routePrefix\": \"\"", root, StringComparison.Ordinal);
    }
}
