namespace NfOta.Fleet.Ddi;

/// <summary>Tenant and controller ids as hawkBit bounds them (tenant 40, controllerId 256 characters), printable without spaces.</summary>
public static class DdiNames
{
    public const int MaxTenant = 40;
    public const int MaxControllerId = 256;

    public static void CheckTenant(string tenant)
    {
        if (Problem(tenant, MaxTenant) is { } t)
        {
            throw FleetException.BadRequest("invalid-tenant", $"tenant {t}");
        }
    }

    public static void Check(string tenant, string controllerId)
    {
        CheckTenant(tenant);
        if (Problem(controllerId, MaxControllerId) is { } c)
        {
            throw FleetException.BadRequest("invalid-controller-id", $"controllerId {c}");
        }
    }

    public static string? Problem(string value, int max) =>
        value.Length == 0 ? "is empty"
        : value.Length > max ? $"is longer than {max} characters"
        : value.Any(ch => ch <= ' ' || ch > '~' || ch is '/' or '\\' or '?' or '#' or '%') ? "must be printable ASCII without spaces, '/', '\\', '?', '#' or '%'"
        : null;
}
