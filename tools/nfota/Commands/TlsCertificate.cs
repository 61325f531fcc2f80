using NfOta.Packaging;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Commands;

/// <summary>The PFX <c>nfota serve --tls-cert</c> takes: a certificate with a private key TLS can use, or one line saying why not.</summary>
public static class TlsCertificate
{
    public static X509Certificate2 Load(string pfx, string? password)
    {
        var bytes = Values.ReadFile(pfx, "TLS certificate", InputLimit.Small);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password);
        }
        catch (CryptographicException e)
        {
            throw new CliException("tls-cert-invalid", $"cannot read '{pfx}' as a PFX with its private key ({e.Message}); check --tls-password");
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CliException("tls-cert-invalid", $"'{pfx}' holds a certificate but no private key; export the PFX with its private key");
        }
        if (!HasTlsKey(certificate))
        {
            // Kestrel would accept it here and fail at start-up with a stack trace (DSA has no TLS 1.2/1.3 cipher suite).
            var algorithm = certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value;
            certificate.Dispose();
            throw new CliException("tls-cert-invalid", $"'{pfx}' has a {algorithm} key; TLS needs an RSA or ECDSA key: make the certificate with one of those");
        }
        return certificate;
    }

    private static bool HasTlsKey(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPrivateKey();
        using var ecdsa = rsa is null ? certificate.GetECDsaPrivateKey() : null;
        return rsa is not null || ecdsa is not null;
    }
}
