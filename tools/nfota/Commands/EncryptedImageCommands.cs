using System.CommandLine;
using NfOta.Cli.Cli;
using NfOta.Esp32.EncryptedImages;
using NfOta.Packaging;

namespace NfOta.Cli.Commands;

/// <summary>
/// <c>nfota encrypt-image</c> / <c>decrypt-image</c>: ESP-IDF's pre-encrypted OTA format
/// (esp_encrypted_img, what esp_enc_img_gen.py writes), for an RSA-3072 or ECIES P-256 device key.
/// </summary>
public static class EncryptedImageCommands
{
    public static Command Encrypt(CliContext context)
    {
        var input = new Option<string>("--in") { Description = "The app image to encrypt.", Required = true };
        var key = new Option<string>("--device-key")
        {
            Description = "The device's public key (PEM): RSA-3072, or P-256 for the ECIES scheme. Only that device's private key decrypts the result.",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "The encrypted image to write (512-byte header + AES-256-GCM ciphertext).", Required = true };
        var command = new Command("encrypt-image", "Encrypt an image for one device key in esp_encrypted_img's format (byte-compatible with esp_enc_img_gen.py): it stays secret on servers and proxies.")
        {
            input, key, output,
        };
        command.SetAction(parse =>
        {
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), parse.GetRequiredValue(input), parse.GetRequiredValue(key));
            using var deviceKey = DeviceKey.FromPem(InputFile.ReadAllText(parse.GetRequiredValue(key), "device key", InputLimit.Key));
            var image = Values.ReadFile(parse.GetRequiredValue(input), "image", InputLimit.Image);
            var encrypted = EncryptedImage.Encrypt(image, deviceKey);
            AtomicFile.Write(outPath, encrypted);
            context.Out.WriteLine($"encrypted {image.Length} bytes for a {deviceKey.Scheme} device key: {encrypted.Length} bytes");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Decrypt(CliContext context)
    {
        var input = new Option<string>("--in") { Description = "An encrypted image (esp_encrypted_img format).", Required = true };
        var key = new Option<string>("--device-key") { Description = "The device's private key (PEM): RSA-3072 or P-256.", Required = true };
        var output = new Option<string>("--out") { Description = "The decrypted image to write (only when the GCM tag verifies).", Required = true };
        var command = new Command("decrypt-image", "Decrypt an esp_encrypted_img image with the device's private key; refuses an altered image or one for another key.")
        {
            input, key, output,
        };
        command.SetAction(parse =>
        {
            var outPath = OutputFile.Checked(parse.GetRequiredValue(output), parse.GetRequiredValue(input), parse.GetRequiredValue(key));
            using var deviceKey = DeviceKey.FromPem(InputFile.ReadAllText(parse.GetRequiredValue(key), "device key", InputLimit.Key));
            var plain = EncryptedImage.Decrypt(Values.ReadFile(parse.GetRequiredValue(input), "encrypted image", InputLimit.EncryptedImage), deviceKey);
            AtomicFile.Write(outPath, plain);
            context.Out.WriteLine($"decrypted {plain.Length} bytes ({deviceKey.Scheme}); the GCM tag verifies");
            return ExitCodes.Ok;
        });
        return command;
    }
}
