using System.Security.Cryptography.X509Certificates;

namespace Redundancy.Orleans.Security;

/// <summary>
/// Where a chassis member (a card, or a client such as the dashboard) finds its TLS files, as configured under
/// <see cref="Section"/> (<c>TlsCertificatePath</c>, <c>TlsKeyPath</c>, <c>TlsCertificatePassword</c>, <c>TlsCaPath</c>).
/// Every error names the key and the value, so a misconfigured member says exactly what to fix.
/// </summary>
public sealed record ChassisTlsFiles(string Section, string? CertificatePath, string? KeyPath, string? CertificatePassword, string? CaPath)
{
    /// <summary>TLS is on when a certificate is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Configuration errors that need no file to be read (missing keys, missing files).</summary>
    public IEnumerable<string> Validate()
    {
        var s = Section;
        if (!Enabled)
        {
            foreach (var (key, value) in new[] { ("TlsKeyPath", KeyPath), ("TlsCaPath", CaPath), ("TlsCertificatePassword", CertificatePassword) })
            {
                if (!string.IsNullOrEmpty(value))
                {
                    yield return $"{s}:{key} is set but {s}:TlsCertificatePath is not: TLS needs this member's own certificate.";
                }
            }

            yield break;
        }

        if (string.IsNullOrWhiteSpace(CaPath))
        {
            yield return $"{s}:TlsCaPath is required with {s}:TlsCertificatePath (got none): peers are checked against the chassis CA only.";
        }

        foreach (var (key, path) in new[] { ("TlsCertificatePath", CertificatePath), ("TlsKeyPath", KeyPath), ("TlsCaPath", CaPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            {
                yield return $"{s}:{key} '{path}' does not exist.";
            }
        }
    }

    /// <summary>Loads the certificate and the chassis CA; null when TLS is off.</summary>
    /// <exception cref="ArgumentException">A file does not load, or the certificate is not from the CA; names the key and value.</exception>
    public (X509Certificate2 Certificate, X509Certificate2Collection Ca)? Load()
    {
        if (!Enabled)
        {
            return null;
        }

        var s = Section;
        X509Certificate2Collection ca;
        try
        {
            ca = ChassisTls.LoadTrustAnchors(CaPath!);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{s}:TlsCaPath '{CaPath}': {e.Message}.", e);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = ChassisTls.LoadCertificate(CertificatePath!, KeyPath, CertificatePassword);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{s}:TlsCertificatePath '{CertificatePath}': {e.Message}.", e);
        }

        if (ChassisTls.Untrusted(certificate, ca) is { } why)
        {
            certificate.Dispose();
            throw new ArgumentException($"{s}:TlsCertificatePath '{CertificatePath}': {why} ({s}:TlsCaPath '{CaPath}'); the cards would refuse it.");
        }

        return (certificate, ca);
    }
}
