namespace NfOta.NativeHost.Tests;

/// <summary>The C component has one global state, like the chip: these tests run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeCollection
{
    public const string Name = "native component";
}
