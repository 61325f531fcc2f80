namespace NfOta.Json
{
    /// <summary>The kind of one value in a <see cref="JsonDocument"/>.</summary>
    public enum JsonKind
    {
        Null,
        False,
        True,
        Number,
        String,
        Array,
        Object,
    }
}
