using System.Security.Cryptography.X509Certificates;
using EnergyMonitor.Core.Domain;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EnergyMonitor.Notifications;

/// <summary>The SMTP server and how to reach it.</summary>
public sealed record SmtpOptions(string Host, int Port, SecureSocketOptions Security, string? Username, string? Password, string From, IReadOnlyList<string> To, string? TrustedCertificateFile);

/// <summary>
/// Alerts by e-mail through SMTP with MailKit: STARTTLS or implicit TLS, the server certificate checked against the
/// system roots or a configured certificate. One mail per alert, or one digest; plain text, UTF-8.
/// </summary>
public sealed class EmailChannel(string name, SmtpOptions options, int perMinute, AlertText text) : IAlertChannel
{
    private readonly X509Certificate2? _trusted = options.TrustedCertificateFile is { } file ? LoadCertificate(file) : null;

    private static X509Certificate2 LoadCertificate(string pemFile)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(pemFile);
        return certificates[0];
    }

    public string Name => name;

    public int PerMinute => perMinute;

    public bool TakesBatches => false;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        var content = notifications.Count == 1 ? text.Single(notifications[0]) : text.Digest(notifications);
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var to in options.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = content.Title;
        message.Body = new TextPart("plain") { Text = content.Text };
        using var client = new SmtpClient { Timeout = 15_000 };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None
            || (_trusted is not null && certificate is not null && _trusted.RawData.AsSpan().SequenceEqual(certificate.GetRawCertData()));
        try
        {
            await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken).ConfigureAwait(false);
            if (options.Username is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, options.Password ?? "", cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Ok;
        }
        catch (AuthenticationException e)
        {
            return DeliveryResult.Failed("smtp auth", e.Message);
        }
        catch (SmtpCommandException e)
        {
            return DeliveryResult.Failed($"smtp {(int)e.StatusCode}", e.Message);
        }
        catch (Exception e) when (e is SmtpProtocolException or SslHandshakeException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException)
        {
            return DeliveryResult.Failed("unreachable", e.Message);
        }
    }

    public ValueTask DisposeAsync()
    {
        _trusted?.Dispose();
        return ValueTask.CompletedTask;
    }
}
