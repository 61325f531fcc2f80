namespace NfOta.Esp32.OtaData;

/// <summary><c>esp_ota_img_states_t</c>: the rollback state kept in each otadata entry.</summary>
public enum OtaImageState : uint
{
    /// <summary>Just written by esp_ota_set_boot_partition with rollback enabled; not booted yet.</summary>
    New = 0,

    /// <summary>The bootloader booted it once; the app must confirm it or it is rolled back.</summary>
    PendingVerify = 1,

    /// <summary>Confirmed by the app (esp_ota_mark_app_valid_cancel_rollback).</summary>
    Valid = 2,

    /// <summary>Rejected by the app (esp_ota_mark_app_invalid_rollback...).</summary>
    Invalid = 3,

    /// <summary>Found PENDING_VERIFY at boot: it never confirmed itself, so the bootloader gave up on it.</summary>
    Aborted = 4,

    /// <summary>Erased flash, or written without rollback support.</summary>
    Undefined = 0xFFFFFFFF,
}

public static class OtaImageStateNames
{
    /// <summary>ESP-IDF's name, as logs and docs spell it (<c>ESP_OTA_IMG_PENDING_VERIFY</c>).</summary>
    public static string ToIdfName(this OtaImageState state) => state switch
    {
        OtaImageState.New => "ESP_OTA_IMG_NEW",
        OtaImageState.PendingVerify => "ESP_OTA_IMG_PENDING_VERIFY",
        OtaImageState.Valid => "ESP_OTA_IMG_VALID",
        OtaImageState.Invalid => "ESP_OTA_IMG_INVALID",
        OtaImageState.Aborted => "ESP_OTA_IMG_ABORTED",
        OtaImageState.Undefined => "ESP_OTA_IMG_UNDEFINED",
        _ => $"0x{(uint)state:X8}",
    };

    /// <summary>Short name for tables: NEW, PENDING_VERIFY, ...</summary>
    public static string ToShortName(this OtaImageState state) => state switch
    {
        OtaImageState.New => "NEW",
        OtaImageState.PendingVerify => "PENDING_VERIFY",
        OtaImageState.Valid => "VALID",
        OtaImageState.Invalid => "INVALID",
        OtaImageState.Aborted => "ABORTED",
        OtaImageState.Undefined => "UNDEFINED",
        _ => $"0x{(uint)state:X8}",
    };
}
