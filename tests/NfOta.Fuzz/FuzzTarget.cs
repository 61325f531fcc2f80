namespace NfOta.Fuzz;

/// <summary>
/// One parser under fuzz: valid seeds to mutate, the call, and its contract: which exceptions are
/// its documented way of saying "bad input". Anything else (IndexOutOfRange, NullReference,
/// Overflow, ArgumentOutOfRange, a hang) is a finding. Run returns whether the input was accepted.
/// </summary>
public sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, Func<byte[], bool> Run, Func<Exception, bool> Expected)
{
    /// <summary>Null when the input kept the contract, otherwise what broke it.</summary>
    public Exception? Check(byte[] input)
    {
        try
        {
            Run(input);
            return null;
        }
        catch (Exception e) when (Expected(e))
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
