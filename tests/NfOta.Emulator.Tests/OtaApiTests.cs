using NfOta.Emulator.Device;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Tests;

/// <summary>esp_ota_* semantics and error codes, on secured boards of both encryption schemes.</summary>
public class OtaApiTests
{
    public static TheoryData<string> Chips() => Boards.SecuredChips();

    [Theory]
    [MemberData(nameof(Chips))]
    public void UpdateRebootConfirm(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var device = Boards.Secured(chip);
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0")).Ok);
        Assert.Equal("ota_1", device.Ota!.GetBootPartition()!.Label);
        Assert.Equal("ota_0", device.Ota.GetRunningPartition().Label);

        device.Restart();
        Assert.Equal("2.0.0", device.RunningVersion());
        Assert.Equal(EspErr.ESP_OK, device.Ota!.GetStatePartition(device.RunningPartition, out var state));
        Assert.Equal(OtaImageState.PendingVerify, state);
        Assert.True(device.Ota.CheckRollbackIsPossible());

        Assert.Equal(EspErr.ESP_OK, device.Ota.MarkAppValidCancelRollback());
        device.Ota.GetStatePartition(device.RunningPartition, out state);
        Assert.Equal(OtaImageState.Valid, state);
        Assert.Equal("2.0.0", device.Restart().App!.Version);
    }

    [Theory]
    [MemberData(nameof(Chips))]
    public void MarkInvalidRollsBackAndNeverReturns(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var device = Boards.Secured(chip);
        OtaScript.Update(device, Boards.Image(chip, "2.0.0"));
        device.Restart();
        var restarted = Assert.Throws<DeviceRestartedException>(() => device.Ota!.MarkAppInvalidRollbackAndReboot());
        Assert.Equal("ota_0", restarted.Boot.Partition!.Name);
        Assert.Equal("1.0.0", device.RunningVersion());
        Assert.Equal("ota_1", device.Ota!.GetLastInvalidPartition()!.Label);
    }

    [Fact]
    public void BeginRejectsTheRunningPartitionAndNonOtaPartitions()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var ota = device.Ota!;
        Assert.Equal(EspErr.ESP_ERR_OTA_PARTITION_CONFLICT, ota.Begin(device.RunningPartition, 1000, out _));
        // ESP-IDF v5.5 lets esp_ota_begin target data partitions (and erases them): the native layer must refuse.
        Assert.Equal(EspErr.ESP_OK, ota.Begin(device.Partitions!.FindByLabel("nvs"), 1000, out _));
        Assert.Equal(EspErr.ESP_ERR_INVALID_ARG, ota.Begin(null, 1000, out _));
        var stranger = new EspPartition(9, new PartitionEntry("ghost", 0, 0x11, 0x300000, 0x10000), true);
        Assert.Equal(EspErr.ESP_ERR_NOT_FOUND, ota.Begin(stranger, 1000, out _));
        Assert.Equal(EspErr.ESP_ERR_INVALID_SIZE, ota.Begin(ota.GetNextUpdatePartition(null), 0x200000, out _));
    }

    [Fact]
    public void BeginRefusesTheFactoryApp()
    {
        var chip = EspChip.Esp32;
        var device = Provisioner.Create(Boards.Spec(chip) with
        {
            PartitionCsv = """
                otadata,  data, ota,     0xd000,   0x2000
                factory,  app,  factory, 0x10000,  0x100000
                ota_0,    app,  ota_0,   0x110000, 0x100000
                ota_1,    app,  ota_1,   0x210000, 0x100000
                """,
            Images = new Dictionary<string, byte[]> { ["factory"] = Boards.Image(chip, "0.1.0") },
        });
        Assert.Equal("factory", device.PowerOn().Partition!.Name);
        Assert.Equal(EspErr.ESP_ERR_INVALID_ARG, device.Ota!.Begin(device.RunningPartition, 1000, out _));
        Assert.Equal(EspErr.ESP_FAIL, device.Ota.MarkAppValidCancelRollback()); // "Running firmware is factory"
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "1.0.0")).Ok);
        Assert.Equal("ota_0", device.Restart().Partition!.Name);
    }

    [Fact]
    public void BeginRefusesWhileTheRunningAppIsUnconfirmed()
    {
        var device = Boards.Secured(EspChip.Esp32);
        OtaScript.Update(device, Boards.Image(EspChip.Esp32, "2.0.0"));
        device.Restart();
        var result = OtaScript.Update(device, Boards.Image(EspChip.Esp32, "3.0.0"));
        Assert.Equal(EspErr.ESP_ERR_OTA_ROLLBACK_INVALID_STATE, result.Error);
        Assert.Equal("esp_ota_begin", result.FailedCall);
    }

    [Fact]
    public void FirstByteMustBeTheImageMagic()
    {
        var device = Boards.Secured(EspChip.Esp32C3);
        var ota = device.Ota!;
        Assert.Equal(EspErr.ESP_OK, ota.Begin(ota.GetNextUpdatePartition(null), 4096, out var handle));
        Assert.Equal(EspErr.ESP_ERR_OTA_VALIDATE_FAILED, ota.Write(handle, new byte[] { 0x7F, 0x45, 0x4C, 0x46 }));
    }

    [Theory]
    [InlineData("esp32", 1)]
    [InlineData("esp32", 7)]
    [InlineData("esp32", 1000)]
    [InlineData("esp32c3", 13)]
    [InlineData("esp32s3", 4097)]
    public void OddChunkSizesStoreTheSameBytes(string chipName, int chunk)
    {
        var chip = EspChip.Parse(chipName);
        var image = Boards.Image(chip, "2.0.0");
        var aligned = Boards.Secured(chip);
        Assert.True(OtaScript.Update(aligned, image, chunkSize: 4096).Ok);
        var odd = Boards.Secured(chip);
        var result = OtaScript.Update(odd, image, chunkSize: chunk);
        Assert.True(result.Ok, result.ToString());
        Assert.Empty(odd.Flash.Violations);
        var slot = aligned.Ota!.GetNextUpdatePartition(aligned.RunningPartition)!;
        var range = (int)slot.Address..(int)(slot.Address + slot.Size);
        Assert.True(aligned.Flash.Dump()[range].AsSpan().SequenceEqual(odd.Flash.Dump()[range]));
    }

    [Fact]
    public void EndWithoutDataIsInvalidArgAndForgetsTheHandle()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var ota = device.Ota!;
        ota.Begin(ota.GetNextUpdatePartition(null), 4096, out var handle);
        Assert.Equal(EspErr.ESP_ERR_INVALID_ARG, ota.End(handle));
        Assert.Equal(EspErr.ESP_ERR_NOT_FOUND, ota.End(handle));
        Assert.Equal(EspErr.ESP_ERR_INVALID_ARG, ota.Write(handle, new byte[] { 0xE9 }));
        Assert.Equal(EspErr.ESP_ERR_NOT_FOUND, ota.Abort(handle));
    }

    [Fact]
    public void CorruptImageFailsEndWithValidateFailed()
    {
        var chip = EspChip.Esp32;
        var device = Boards.Secured(chip);
        var image = Boards.Image(chip, "2.0.0");
        image[300] ^= 0x01;
        var result = OtaScript.Update(device, image);
        Assert.Equal(EspErr.ESP_ERR_OTA_VALIDATE_FAILED, result.Error);
        Assert.Equal("esp_ota_end", result.FailedCall);
        Assert.Contains("checksum", device.Ota!.LastValidation!.Reason);
        Assert.Equal("ota_0", device.Ota.GetBootPartition()!.Label);
        Assert.Equal("1.0.0", device.Restart().App!.Version);
    }

    [Fact]
    public void UnsignedImageFailsEndUnderSecureBoot()
    {
        var chip = EspChip.Esp32C3;
        var device = Boards.Secured(chip);
        var result = OtaScript.Update(device, NfOta.Esp32.Tests.TestImages.Build(chip, "2.0.0"));
        Assert.Equal(EspErr.ESP_ERR_OTA_VALIDATE_FAILED, result.Error);
        Assert.Contains("signature", device.Ota!.LastValidation!.Reason);
    }

    [Fact]
    public void ImageForAnotherChipFailsEnd()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var result = OtaScript.Update(device, Boards.Image(EspChip.Esp32C3, "2.0.0"));
        Assert.Equal(EspErr.ESP_ERR_OTA_VALIDATE_FAILED, result.Error);
        Assert.Contains("image is for ESP32-C3 (id 5) but this board is ESP32 (id 0)", device.Ota!.LastValidation!.Reason);
    }

    [Fact]
    public void SetBootPartitionRefusesAnEmptySlot()
    {
        var device = Boards.Secured(EspChip.Esp32);
        Assert.Equal(EspErr.ESP_ERR_OTA_VALIDATE_FAILED, device.Ota!.SetBootPartition(device.Ota.GetNextUpdatePartition(null)));
        Assert.Contains("not the image magic", device.Ota.LastValidation!.Reason);
    }

    [Fact]
    public void WriteWithOffsetNeedsWholeBlocksWhenEncrypted()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var ota = device.Ota!;
        var image = Boards.Image(EspChip.Esp32, "2.0.0");
        ota.Begin(ota.GetNextUpdatePartition(null), (uint)image.Length, out var handle);
        Assert.Equal(EspErr.ESP_ERR_INVALID_ARG, ota.WriteWithOffset(handle, image.AsSpan(0, 20), 0));
        // Resume-style: the second half first, then the first half.
        var half = image.Length / 2 / 16 * 16;
        Assert.Equal(EspErr.ESP_OK, ota.WriteWithOffset(handle, image.AsSpan(half), (uint)half));
        Assert.Equal(EspErr.ESP_OK, ota.WriteWithOffset(handle, image.AsSpan(0, half), 0));
        Assert.Equal(EspErr.ESP_OK, ota.End(handle));
    }

    [Fact]
    public void WriteWithOffsetOnASequentialHandleIsAnAssert()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var ota = device.Ota!;
        ota.Begin(ota.GetNextUpdatePartition(null), EspOta.WithSequentialWrites, out var handle);
        Assert.Throws<DevicePanicException>(() => ota.WriteWithOffset(handle, new byte[16], 0));
    }

    [Fact]
    public void SequentialWritesEraseAsTheyGo()
    {
        var chip = EspChip.Esp32C3;
        var device = Boards.Secured(chip);
        var image = Boards.Image(chip, "2.0.0");
        var ota = device.Ota!;
        var target = ota.GetNextUpdatePartition(null)!;
        device.Flash.ClearLog();
        Assert.Equal(EspErr.ESP_OK, ota.Begin(target, EspOta.WithSequentialWrites, out var handle));
        Assert.DoesNotContain(device.Flash.Log, op => op.IsMutation && target.Address <= op.Address && op.Address < target.Address + target.Size);
        for (var o = 0; o < image.Length; o += 1000) Assert.Equal(EspErr.ESP_OK, ota.Write(handle, image.AsSpan(o, Math.Min(1000, image.Length - o))));
        Assert.Equal(EspErr.ESP_OK, ota.End(handle));
        var erased = device.Flash.Log.Where(op => op.Kind == Flash.FlashOperationKind.EraseSector).Sum(op => op.Length);
        Assert.Equal((image.Length + 4095) / 4096 * 4096, erased);
    }

    [Fact]
    public void NextUpdatePartitionCyclesThroughSlots()
    {
        var device = Boards.Secured(EspChip.Esp32);
        var ota = device.Ota!;
        Assert.Equal("ota_1", ota.GetNextUpdatePartition(null)!.Label);
        Assert.Equal("ota_0", ota.GetNextUpdatePartition(ota.GetNextUpdatePartition(null))!.Label);
        Assert.Equal(2, ota.GetAppPartitionCount());
    }

    [Fact]
    public void MarkValidFromAConfirmedAppIsANoOp()
    {
        var device = Boards.Secured(EspChip.Esp32);
        device.Flash.ClearLog();
        Assert.Equal(EspErr.ESP_OK, device.Ota!.MarkAppValidCancelRollback());
        Assert.DoesNotContain(device.Flash.Log, op => op.IsMutation);
    }

    [Fact]
    public void RollbackWithNothingToRollBackToFails()
    {
        var device = Boards.Secured(EspChip.Esp32);
        Assert.False(device.Ota!.CheckRollbackIsPossible());
        Assert.Equal(EspErr.ESP_ERR_OTA_ROLLBACK_FAILED, device.Ota.MarkAppInvalidRollbackAndReboot());
    }

    [Fact]
    public void AntiRollbackRefusesAndErasesAnOlderSecureVersion()
    {
        var chip = EspChip.Esp32C3;
        var spec = Boards.Spec(chip, new DeviceConfig { AntiRollback = true }) with
        {
            SecureVersion = 2,
            Images = new Dictionary<string, byte[]> { ["ota_0"] = Boards.Image(chip, "1.0.0", secureVersion: 2) },
        };
        var device = Provisioner.Create(spec);
        device.PowerOn();
        var result = OtaScript.Update(device, Boards.Image(chip, "0.9.0", secureVersion: 1));
        Assert.Equal(EspErr.ESP_ERR_OTA_SMALL_SEC_VER, result.Error);
        Assert.Contains("not the image magic", device.Ota!.Validate(result.Target!).Reason);
        var raw = new byte[64];
        Assert.Equal(EspErr.ESP_OK, device.Partitions!.ReadRaw(result.Target!, 0, raw));
        Assert.All(raw, b => Assert.Equal(0xFF, b)); // erased, as ESP-IDF does
    }

    [Fact]
    public void ConfirmingBurnsTheSecureVersionUnderAntiRollback()
    {
        var chip = EspChip.Esp32;
        var device = Provisioner.Create(Boards.Spec(chip, new DeviceConfig { AntiRollback = true }));
        device.PowerOn();
        Assert.True(OtaScript.Update(device, Boards.Image(chip, "2.0.0", secureVersion: 5)).Ok);
        device.Restart();
        Assert.Equal(0u, device.EFuses.SecureVersion);
        device.Ota!.MarkAppValidCancelRollback();
        Assert.Equal(5u, device.EFuses.SecureVersion);
    }

    [Fact]
    public void PartitionSha256IsTheImageDigest()
    {
        var chip = EspChip.Esp32;
        var device = Boards.Secured(chip);
        var image = Boards.Image(chip, "2.0.0");
        var update = OtaScript.Update(device, image);
        var digest = new byte[32];
        Assert.Equal(EspErr.ESP_OK, device.Ota!.GetPartitionSha256(update.Target, digest));
        Assert.Equal(NfOta.Esp32.Images.AppImage.Parse(image).Digest, digest);
    }

    /// <summary>
    /// Every write an update makes into encrypted partitions goes through the encryption engine,
    /// and no 16-byte block of the plaintext image or otadata entry appears in raw flash.
    /// </summary>
    [Theory]
    [MemberData(nameof(Chips))]
    public void AnUpdateNeverWritesPlaintextIntoEncryptedRegions(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var device = Boards.Secured(chip);
        device.Driver.ClearWrites();
        var image = Boards.Image(chip, "2.0.0");
        Assert.True(OtaScript.Update(device, image, chunkSize: 1000).Ok);
        device.Restart();
        device.Ota!.MarkAppValidCancelRollback();

        var encrypted = device.Partitions!.All.Where(p => p.Encrypted).ToList();
        Assert.Contains(encrypted, p => p.Label == "otadata");
        foreach (var write in device.Driver.Writes)
        {
            var inEncrypted = encrypted.Any(p => write.Address < p.Address + p.Size && p.Address < write.Address + (uint)write.Length);
            Assert.False(inEncrypted && !write.Encrypted, $"plaintext write at 0x{write.Address:X}+{write.Length}");
        }

        var raw = device.Flash.Dump();
        var slot = device.RunningPartition!;
        for (var o = 0; o + 16 <= image.Length; o += 16)
        {
            var plainBlock = image.AsSpan(o, 16);
            if (!plainBlock.ContainsAnyExcept((byte)0xFF)) continue; // erased-looking blocks are not evidence
            Assert.False(raw.AsSpan((int)slot.Address + o, 16).SequenceEqual(plainBlock), $"plaintext image block at +0x{o:X}");
        }
        var otadata = device.Partitions.FindByLabel("otadata")!;
        foreach (var sector in new[] { 0u, 0x1000u })
        {
            var stored = raw.AsSpan((int)(otadata.Address + sector), 32);
            Assert.False(NfOta.Esp32.OtaData.OtaSelectEntry.Parse(stored).IsValid, "otadata is readable without decryption");
        }
    }

    [Fact]
    public void FirstBootEncryptsInPlaceLikeEspIdf()
    {
        var chip = EspChip.Esp32C3;
        var spec = Boards.Spec(chip) with { EncryptOnFirstBoot = true };
        var device = Provisioner.Create(spec);
        var plainFlash = device.Flash.Dump();
        Assert.False(device.EFuses.FlashEncryptionEnabled);

        var boot = device.PowerOn();
        Assert.True(boot.Booted, boot.ToString());
        Assert.True(device.EFuses.FlashEncryptionEnabled);
        Assert.Equal(2, device.Boots.Count); // the encrypting boot, then the reset
        Assert.Contains(device.Boots[0].Log, l => l.Contains("encrypted ota_0"));

        var ota0 = device.Partitions!.FindByLabel("ota_0")!;
        var stored = device.Flash.Dump().AsSpan((int)ota0.Address, 4096).ToArray();
        Assert.NotEqual(plainFlash.AsSpan((int)ota0.Address, 4096).ToArray(), stored);
        using var cipher = FlashCipher.Create(chip, spec.FlashEncryptionKey!);
        cipher.Decrypt(stored, stored, ota0.Address);
        Assert.Equal(plainFlash.AsSpan((int)ota0.Address, 4096).ToArray(), stored);
        Assert.Equal("1.0.0", device.RunningVersion());
    }

    [Fact]
    public void WithoutRollbackNewImagesAreUndefinedAndNeedNoConfirmation()
    {
        var chip = EspChip.Esp32;
        var device = Provisioner.Create(Boards.Spec(chip, new DeviceConfig { AppRollback = false }));
        device.PowerOn();
        OtaScript.Update(device, Boards.Image(chip, "2.0.0"));
        device.Restart();
        device.Ota!.GetStatePartition(device.RunningPartition, out var state);
        Assert.Equal(OtaImageState.Undefined, state);
        Assert.Equal("2.0.0", device.Restart().App!.Version);
    }
}
