using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Redundancy.Orleans.Security;

/// <summary>
/// Mutual TLS for a chassis: every silo-to-silo and client-to-silo connection presents a certificate, and the
/// peer's certificate must chain to the chassis CA — the only trust anchor, so that nothing the operating
/// system's store trusts can join the chassis.
/// </summary>
public static class ChassisTls
{
    /// <summary>Requires mutual TLS on this silo's silo-to-silo and gateway connections.</summary>
    public static ISiloBuilder UseChassisTls(this ISiloBuilder builder, X509Certificate2 certificate, X509Certificate2Collection trustAnchors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustAnchors);
        return builder.UseTls(certificate, o =>
        {
            Configure(o, trustAnchors);
            o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        });
    }

    /// <summary>Connects this client to the chassis's gateways with mutual TLS.</summary>
    public static IClientBuilder UseChassisTls(this IClientBuilder builder, X509Certificate2 certificate, X509Certificate2Collection trustAnchors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustAnchors);
        return builder.UseTls(certificate, o => Configure(o, trustAnchors));
    }

    /// <summary>
    /// Loads a certificate with its private key: PKCS#12 (<c>.pfx</c>, <c>.p12</c>) or PEM (certificate and key
    /// files; the key may be encrypted with <paramref name="password"/>).
    /// </summary>
    /// <exception cref="ArgumentException">It cannot be loaded or has no private key; the message says why.</exception>
    public static X509Certificate2 LoadCertificate(string path, string? keyPath = null, string? password = null)
    {
        X509Certificate2 certificate;
        try
        {
            var pkcs12 = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
            certificate = pkcs12 ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : string.IsNullOrEmpty(password) ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ArgumentException($"cannot load the certificate: {e.Message}", nameof(path), e);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException("the certificate has no private key (give the key file or a .pfx with its key)", nameof(path));
        }

        return certificate;
    }

    /// <summary>Loads the chassis CA certificate(s) from a PEM file.</summary>
    /// <exception cref="ArgumentException">The file holds no certificate or cannot be read.</exception>
    public static X509Certificate2Collection LoadTrustAnchors(string path)
    {
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot load the CA: {e.Message}", nameof(path), e);
        }

        return anchors.Count > 0 ? anchors : throw new ArgumentException("the file holds no PEM certificate", nameof(path));
    }

    /// <summary>Why <paramref name="certificate"/> does not chain to <paramref name="trustAnchors"/>, or null when it does.</summary>
    public static string? Untrusted(X509Certificate2 certificate, X509Certificate2Collection trustAnchors, X509Certificate2Collection? intermediates = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustAnchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        return chain.Build(certificate)
            ? null
            : $"certificate '{certificate.Subject}' does not chain to the chassis CA: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct())}";
    }

    private static void Configure(TlsOptions options, X509Certificate2Collection trustAnchors)
    {
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;

        // The peer is identified by its chain to the chassis CA, not by a host name (cards move between hosts and
        // are addressed by IP), so the policy errors of the OS's own check (unknown root, name mismatch) are replaced
        // by this check against the chassis CA alone.
        options.RemoteCertificateValidation = (certificate, chain, _) =>
        {
            var presented = new X509Certificate2Collection();
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    presented.Add(element.Certificate);
                }
            }

            return certificate is not null && Untrusted(certificate, trustAnchors, presented) is null;
        };
    }
}
