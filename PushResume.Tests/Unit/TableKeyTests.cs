using PushResume.Storage;

namespace PushResume.Tests.Unit;

public sealed class TableKeyTests
{
    [Theory]
    [InlineData("0123456789abcdef", "0123456789abcdef")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("100%", "100%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("del\u007f", "del%7F")]
    [InlineData("\u0085", "%85")]
    [InlineData("Иван", "Иван")]
    public void Escapes_exactly_the_forbidden_characters(string value, string expected) =>
        Assert.Equal(expected, TableKey.Escape(value));

    [Fact]
    public void Never_yields_a_forbidden_character_and_never_maps_two_ids_to_one_key()
    {
        var random = new Random(20261204);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var id = new string([.. Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next(0, 0x180))]);
            var key = TableKey.Escape(id);

            Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
            if (keys.TryGetValue(key, out var other))
            {
                Assert.Equal(other, id);
            }

            keys[key] = id;
        }
    }
}
