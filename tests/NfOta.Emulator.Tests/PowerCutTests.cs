using NfOta.Emulator.Device;
using NfOta.Emulator.Faults;
using NfOta.Emulator.Flash;
using NfOta.Emulator.Provisioning;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Emulator.Tests;

/// <summary>A power cut at every flash operation of a scripted update leaves the emulator consistent.</summary>
public class PowerCutTests
{
    /// <summary>A small image (no flash-mapped code, so no 64 KiB alignment padding) keeps the matrix quick.</summary>
    private static byte[] TinyImage(EspChip chip, string version)
    {
        var builder = new NfOta.Esp32.Images.AppImageBuilder(chip)
        {
            Description = new NfOta.Esp32.Images.AppDescription { Version = version, ProjectName = "tiny" },
            EntryAddress = 0x40080000,
        };
        builder.AddSegment(chip.Drom.Start + 0x20, new byte[64]);
        builder.AddSegment(chip == EspChip.Esp32 ? 0x40080000u : 0x40380000u, System.Text.Encoding.UTF8.GetBytes(new string('x', 1500) + version));
        return SecureBootV2.Sign(builder.Build(), Boards.SigningKey);
    }

    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void EveryCutDuringAnUpdateLeavesABootableConsistentBoard(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        var v1 = TinyImage(chip, "1.0.0");
        var v2 = TinyImage(chip, "2.0.0");
        var spec = Boards.Spec(chip) with { Images = new Dictionary<string, byte[]> { ["ota_0"] = v1 } };
        VirtualEsp32 Create()
        {
            var board = Provisioner.Create(spec);
            board.PowerOn();
            return board;
        }
        void Scenario(VirtualEsp32 board)
        {
            var result = OtaScript.Update(board, v2, chunkSize: 700);
            Assert.True(result.Ok, result.ToString());
            board.Restart();
            Assert.Equal(EspErr.ESP_OK, board.Ota!.MarkAppValidCancelRollback());
        }

        var mutations = PowerCutRunner.CountMutations(Create, Scenario);
        Assert.InRange(mutations, 50, 2000);
        var outcomes = PowerCutRunner.Run(Create, Scenario, PowerCutRunner.EveryMutation(mutations, 1.0, 0.5), (board, _) =>
        {
            var version = board.RunningVersion();
            if (version is not ("1.0.0" or "2.0.0")) return $"booted unexpected version {version}";
            if (board.Ota!.OpenHandles != 0) return "OTA handles survived the power cut";
            if (version == "2.0.0")
            {
                board.Ota.GetStatePartition(board.RunningPartition, out var state);
                if (state is not (OtaImageState.PendingVerify or OtaImageState.Valid)) return $"v2 running in state {state}";
            }
            return null;
        });

        Assert.Equal(2 * mutations, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Triggered, $"{o.Cut} never happened"));
        var failures = outcomes.Where(o => !o.Ok).Select(o => o.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        // Both outcomes occur: early cuts keep v1, cuts after the switch run v2.
        Assert.Contains(outcomes, o => o.Recovery!.App!.Version == "1.0.0");
        Assert.Contains(outcomes, o => o.Recovery!.App!.Version == "2.0.0");
    }

    [Theory]
    [InlineData(0.9999, 1.0)] // the one bit had cleared: to the flash, the program completed
    [InlineData(0.01, 0.01)]
    public void TheCheckIsToldTheCutAsTheFlashExperiencedIt(double fraction, double told)
    {
        var board = Provisioner.Create(Boards.Spec(EspChip.Esp32));
        board.PowerOn();
        var spare = board.Partitions!.FindByLabel("ota_1")!.Address;
        var seen = new List<PowerCut>();
        var outcomes = PowerCutRunner.Run(() => board.PoweredOffCopy(), b => b.Flash.Program(spare, [0xFE]), [new PowerCut(1, fraction, Seed: 5)], (_, cut) =>
        {
            seen.Add(cut);
            return null;
        });
        Assert.Equal(fraction, Assert.Single(outcomes).Cut.Fraction); // reported as asked
        Assert.Equal(told, Assert.Single(seen).Fraction);
    }
}
