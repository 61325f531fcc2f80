using System.Text;
using NfOta.Json;

namespace NfOta.Core.Tests;

/// <summary>The board's JSON reader and writer (firmware/NfOta.Core/Json): RFC 8259, hardened by caps.</summary>
public sealed class DdiJsonTests
{
    private static JsonDocument Parse(string text, JsonLimits? limits = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return JsonDocument.Parse(bytes, bytes.Length, limits);
    }

    private static OtaException Refused(string text, JsonLimits? limits = null)
    {
        var e = Assert.Throws<OtaException>(() => Parse(text, limits));
        Assert.Equal(OtaError.JsonInvalid, e.Error);
        Assert.Equal("json-invalid", e.Code);
        return e;
    }

    [Fact]
    public void ReadsAHawkBitControllerBase()
    {
        var doc = Parse("""
            {"config":{"polling":{"sleep":"12:00:00"}},"_links":{"deploymentBase":{"href":"https://h/T/controller/v1/C/deploymentBase/5?c=-2127183556"},
             "configData":{"href":"https://h/T/controller/v1/C/configData"}}}
            """);
        Assert.Equal("12:00:00", doc.String(doc.Member(doc.Path(JsonDocument.Root, "config", "polling"), "sleep")));
        Assert.Equal("https://h/T/controller/v1/C/deploymentBase/5?c=-2127183556", doc.String(doc.Member(doc.Path(JsonDocument.Root, "_links", "deploymentBase"), "href")));
        Assert.Equal(-1, doc.Path(JsonDocument.Root, "_links", "cancelAction"));
        Assert.Equal(2, doc.Count(JsonDocument.Root));
    }

    [Fact]
    public void ReadsEveryKindArraysAndNumbers()
    {
        var doc = Parse(" [ 0, -12, 3.5, 1e3, 9223372036854775807, 9223372036854775808, true, false, null, \"\", [], {} ] ");
        Assert.Equal(JsonKind.Array, doc.Kind(JsonDocument.Root));
        Assert.Equal(12, doc.Count(JsonDocument.Root));
        var kinds = new List<JsonKind>();
        var integers = new List<long?>();
        for (int e = doc.First(JsonDocument.Root); e >= 0; e = doc.Next(e))
        {
            kinds.Add(doc.Kind(e));
            integers.Add(doc.TryInteger(e, out var v) ? v : null);
        }
        Assert.Equal([JsonKind.Number, JsonKind.Number, JsonKind.Number, JsonKind.Number, JsonKind.Number, JsonKind.Number,
            JsonKind.True, JsonKind.False, JsonKind.Null, JsonKind.String, JsonKind.Array, JsonKind.Object], kinds);
        Assert.Equal([0L, -12L, null, null, long.MaxValue, null, null, null, null, null, null, null], integers);
    }

    [Fact]
    public void DecodesEscapesAndUtf8()
    {
        var doc = Parse("{\"k\\u0065y\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 é 😀 中\"}");
        Assert.Equal("a\"b\\c/d\b\f\n\r\té😀 é 😀 中", doc.String(doc.Member(JsonDocument.Root, "key")));
        Assert.Null(doc.String(JsonDocument.Root));
    }

    [Fact]
    public void TheFirstOfARepeatedKeyWins()
    {
        var doc = Parse("{\"a\":1,\"b\":{\"a\":3},\"a\":2}");
        Assert.True(doc.TryInteger(doc.Member(JsonDocument.Root, "a"), out var a));
        Assert.Equal(1, a);
        Assert.True(doc.TryInteger(doc.Path(JsonDocument.Root, "b", "a"), out var nested));
        Assert.Equal(3, nested);
    }

    [Theory]
    [InlineData("", "ends where a value was expected")]
    [InlineData("{", "expected a quoted key")]
    [InlineData("{\"a\"}", "expected ':'")]
    [InlineData("{\"a\":1,}", "expected a quoted key")]
    [InlineData("[1,]", "unexpected byte")]
    [InlineData("[1 2]", "expected ',' or ']'")]
    [InlineData("{\"a\":1 \"b\":2}", "expected ',' or '}'")]
    [InlineData("\"abc", "not closed")]
    [InlineData("\"a\tb\"", "control character")]
    [InlineData("\"\\x\"", "unknown escape")]
    [InlineData("\"\\u12zz\"", "four hex digits")]
    [InlineData("\"\\u12\"", "ends inside a \\u escape")]
    [InlineData("01", "unexpected text after the value")]
    [InlineData("-", "expected a digit")]
    [InlineData("1.", "expected a digit")]
    [InlineData("1e+", "expected a digit")]
    [InlineData("tru", "expected \"true\"")]
    [InlineData("nul", "expected \"null\"")]
    [InlineData("{} {}", "unexpected text after the value")]
    [InlineData("'a'", "unexpected byte 0x27")]
    public void MalformedTextIsRefusedSayingWhere(string text, string reason)
    {
        var e = Refused(text);
        Assert.Contains(reason, e.Message);
        Assert.Contains("at byte", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xC0, 0xAF, 0x22 })]       // overlong '/'
    [InlineData(new byte[] { 0x22, 0xE0, 0x80, 0xAF, 0x22 })] // overlong "/" in three bytes
    [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 })] // a surrogate in UTF-8
    [InlineData(new byte[] { 0x22, 0xE4, 0xB8, 0x22 })]       // a sequence cut short
    [InlineData(new byte[] { 0x22, 0xF5, 0x80, 0x80, 0x80, 0x22 })] // past U+10FFFF
    [InlineData(new byte[] { 0x22, 0x80, 0x22 })]             // a lone continuation byte
    public void MalformedUtf8IsRefused(byte[] text)
    {
        var e = Assert.Throws<OtaException>(() => JsonDocument.Parse(text, text.Length, null));
        Assert.Equal(OtaError.JsonInvalid, e.Error);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void CapsOnLengthDepthAndValueCountHold()
    {
        var limits = new JsonLimits { MaxLength = 64, MaxDepth = 4, MaxValues = 10 };
        Assert.Contains("more than the 64 allowed", Refused("[" + new string(' ', 70) + "]", limits).Message);
        Parse("[[[[1]]]]", limits);
        Assert.Contains("deeper than 4 levels", Refused("[[[[[1]]]]]", limits).Message);
        Parse("[1,2,3,4,5,6,7,8,9]", limits);
        Assert.Contains("more than 10 values", Refused("[1,2,3,4,5,6,7,8,9,10]", limits).Message);
        // The defaults stop a hostile nesting long before the stack: 100 000 brackets.
        var deep = new string('[', 100_000);
        Assert.Contains("deeper than 16 levels", Refused(deep, new JsonLimits { MaxLength = 200_000 }).Message);
    }

    [Fact]
    public void TheWriterEscapesNestsAndRoundTrips()
    {
        var w = new JsonWriter();
        w.BeginObject()
            .Name("status").BeginObject()
                .Name("execution").String("closed")
                .Name("result").BeginObject().Name("finished").String("failure").EndObject()
                .Name("details").BeginArray().String("[hash-mismatch] \"x\"\\y\n\u0001 é 😀").String(null).EndArray()
            .EndObject()
            .Name("n").Number(-42).Name("ok").Boolean(true)
        .EndObject();
        var text = Encoding.UTF8.GetString(w.ToArray());
        Assert.Equal("{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"failure\"},\"details\":[\"[hash-mismatch] \\\"x\\\"\\\\y\\u000a\\u0001 é 😀\",null]},\"n\":-42,\"ok\":true}", text);
        using var system = System.Text.Json.JsonDocument.Parse(text); // what a server reads
        Assert.Equal("[hash-mismatch] \"x\"\\y\n\u0001 é 😀", system.RootElement.GetProperty("status").GetProperty("details")[0].GetString());
        var ours = JsonDocument.Parse(w.ToArray(), w.Length, null);
        Assert.Equal("[hash-mismatch] \"x\"\\y\n\u0001 é 😀", ours.String(ours.First(ours.Path(JsonDocument.Root, "status", "details"))));
    }
}
