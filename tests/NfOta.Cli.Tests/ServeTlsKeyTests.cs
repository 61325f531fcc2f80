using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NfOta.Cli.Tests;

/// <summary><c>nfota serve --tls-cert</c> with a certificate whose key TLS cannot use: one line, exit 2.</summary>
public sealed class ServeTlsKeyTests
{
    /// <summary>A PFX with a DSA key (signed by a throwaway RSA issuer: .NET cannot self-sign with DSA).</summary>
    private static byte[] DsaPfx()
    {
        using var issuerKey = RSA.Create(2048);
        using var dsa = DSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName("CN=localhost"), new PublicKey(dsa), HashAlgorithmName.SHA256);
        using var certificate = request.Create(new X500DistinguishedName("CN=issuer"), X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(1), [1, 2, 3, 4]);
        using var withKey = certificate.CopyWithPrivateKey(dsa);
        return withKey.Export(X509ContentType.Pkcs12);
    }

    [Fact]
    public async Task ADsaKeyIsRefusedInOneLine()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["pkg"]);
        File.WriteAllBytes(dir["dsa.pfx"], DsaPfx());
        // In-process, bounded: a server that did start would never return.
        var run = Task.Run(() => CliRunner.Run("serve", dir["pkg"], "--port", "0", "--tls-cert", dir["dsa.pfx"]));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException: serve started with a DSA certificate
        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        var line = Assert.Single(result.ErrorLines);
        Assert.EndsWith("[tls-cert-invalid]", line);
        Assert.Contains("DSA", line);
    }
}
