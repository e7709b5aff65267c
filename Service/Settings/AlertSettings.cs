using System.ComponentModel.DataAnnotations;

namespace EnergyMonitor.Service.Settings;

/// <summary>Anomaly alerts: when the pass runs, what it may override per meter, where alerts go (docs/CONFIG.md#alerts).</summary>
public sealed class AlertSettings : IValidatableObject
{
    public bool Enabled { get; set; } = true;

    /// <summary>The anomaly pass; four minutes after each rollup pass by default, so it reads fresh rollups.</summary>
    [Cron]
    public string Cron { get; set; } = "0 5/15 * * * ?";

    /// <summary>The language of messages: zh (简体中文) or en.</summary>
    [AllowedValues("zh", "en", ErrorMessage = "zh or en")]
    public string Language { get; set; } = "zh";

    /// <summary>A condition that returns within this many hours of clearing reopens its alert without a new notification.</summary>
    [Range(0.0, 720.0)]
    public double CooldownHours { get; set; } = 6;

    /// <summary>The holiday calendar (date,kind,name); relative to the settings file. Years it lacks are judged by weekends only.</summary>
    [Required(AllowEmptyStrings = false)]
    public string HolidaysFile { get; set; } = "holidays-cn.csv";

    /// <summary>Days of history the rules learn each meter's normal from.</summary>
    [Range(7, 90)]
    public int LearningDays { get; set; } = 28;

    /// <summary>Nights in a row of non-zero night flow before a leak alert.</summary>
    [Range(1, 30)]
    public int LeakNights { get; set; } = 3;

    /// <summary>Each month's share of the annual energy quota for the budget rule, January first (12 numbers); empty shares by days.</summary>
    [MaxLength(12)]
    public List<double> MonthlyBudgetShares { get; set; } = [];

    [UniqueBy(nameof(AlertChannelSettings.Name))]
    public List<AlertChannelSettings> Channels { get; set; } = [];

    public List<AlertRouteSettings> Routes { get; set; } = [];

    /// <summary>Per meter (or per series such as building/b1/electricity): thresholds of its own, or rules turned off.</summary>
    public Dictionary<string, AnomalyOverrideSettings> Overrides { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var names = Channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < Routes.Count; i++)
        {
            if (!names.Contains(Routes[i].Channel))
            {
                yield return new ValidationResult($"Routes[{i}]:Channel \"{Routes[i].Channel}\" to name a channel in EnergyMonitor:Alerts:Channels ({string.Join(", ", names)})", [nameof(Routes)]);
            }

            foreach (var rule in Routes[i].Rules.Where(r => !Analytics.Anomalies.AnomalyRules.Ids.Contains(r)))
            {
                yield return new ValidationResult($"Routes[{i}]:Rules \"{rule}\" to be a rule id: {string.Join(", ", Analytics.Anomalies.AnomalyRules.Ids)}", [nameof(Routes)]);
            }
        }

        foreach (var (meter, o) in Overrides)
        {
            foreach (var rule in o.Disable.Where(r => !Analytics.Anomalies.AnomalyRules.Ids.Contains(r)))
            {
                yield return new ValidationResult($"Overrides:{meter}:Disable \"{rule}\" to be a rule id: {string.Join(", ", Analytics.Anomalies.AnomalyRules.Ids)}", [nameof(Overrides)]);
            }
        }

        if (MonthlyBudgetShares.Count is not (0 or 12) || MonthlyBudgetShares.Any(s => !(s > 0)))
        {
            yield return new ValidationResult("twelve positive monthly shares, January first, or none", [nameof(MonthlyBudgetShares)]);
        }
    }
}

/// <summary>A route: alerts of at least a severity, optionally only some rules, buildings or institutions, to a channel.</summary>
public sealed class AlertRouteSettings
{
    [Required(AllowEmptyStrings = false)]
    public string Channel { get; set; } = "";

    [AllowedValues("info", "warning", "critical", ErrorMessage = "info, warning or critical")]
    public string MinimumSeverity { get; set; } = "warning";

    public List<string> Rules { get; set; } = [];

    public List<string> Buildings { get; set; } = [];

    public List<string> Institutions { get; set; } = [];
}

public sealed class AnomalyOverrideSettings
{
    [Range(1, 10_080)]
    public int? SilentAfterMinutes { get; set; }

    [Range(1, 720)]
    public int? StuckAfterHours { get; set; }

    /// <summary>An hour above this (the kind's unit) is a spike, instead of the learned limit.</summary>
    [Range(0.0, double.MaxValue)]
    public double? SpikeAbove { get; set; }

    /// <summary>Rule ids turned off for this meter, e.g. night-leak for a meter that feeds a night process.</summary>
    public List<string> Disable { get; set; } = [];
}

/// <summary>
/// One delivery channel. Secrets (a robot's key inside its URL, a signing secret, an SMTP password) come from the
/// environment or a file, never from this file (docs/CONFIG.md#secrets).
/// </summary>
public sealed class AlertChannelSettings : IValidatableObject
{
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "";

    /// <summary>webhook, wecom (企业微信群机器人), dingtalk (钉钉自定义机器人), mqtt or email.</summary>
    [AllowedValues("webhook", "wecom", "dingtalk", "mqtt", "email", ErrorMessage = "webhook, wecom, dingtalk, mqtt or email")]
    public string Type { get; set; } = "webhook";

    /// <summary>The endpoint; for WeCom and DingTalk it carries the robot's key, so give it by UrlEnv or UrlFile instead.</summary>
    public string? Url { get; set; }

    public string? UrlEnv { get; set; }

    public string? UrlFile { get; set; }

    /// <summary>The webhook's HMAC key, or DingTalk's 加签 secret.</summary>
    public string? SecretEnv { get; set; }

    public string? SecretFile { get; set; }

    /// <summary>Messages a minute the platform accepts (WeCom and DingTalk robots: 20); beyond it, pending alerts go as one digest.</summary>
    [Range(1, 6000)]
    public int PerMinute { get; set; } = 20;

    /// <summary>mqtt: the broker's name among EnergyMonitor:Mqtt:Brokers, and the topic alerts are published to.</summary>
    public string? Broker { get; set; }

    public string? Topic { get; set; }

    /// <summary>email: the SMTP server.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>StartTls (port 587), SslOnConnect (465), or None only on a trusted local relay.</summary>
    [AllowedValues("StartTls", "SslOnConnect", "None", ErrorMessage = "StartTls, SslOnConnect or None")]
    public string SmtpSecurity { get; set; } = "StartTls";

    /// <summary>A PEM certificate to trust for the SMTP server besides the system's roots (a site's own CA or a self-signed relay).</summary>
    public string? SmtpTrustedCertificateFile { get; set; }

    public string? Username { get; set; }

    public string? PasswordEnv { get; set; }

    public string? PasswordFile { get; set; }

    public string? From { get; set; }

    public List<string> To { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        switch (Type)
        {
            case "webhook" or "wecom" or "dingtalk" when string.IsNullOrEmpty(Url) && string.IsNullOrEmpty(UrlEnv) && string.IsNullOrEmpty(UrlFile):
                yield return new ValidationResult($"an http(s) endpoint for a {Type} channel: Url, or UrlEnv/UrlFile when it carries a key", [nameof(Url)]);
                break;
            case "webhook" or "wecom" or "dingtalk" when Url is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")):
                yield return new ValidationResult("an absolute http or https URL", [nameof(Url)]);
                break;
            case "mqtt" when string.IsNullOrEmpty(Broker) || string.IsNullOrEmpty(Topic):
                yield return new ValidationResult("the name of a broker in EnergyMonitor:Mqtt:Brokers and a Topic for an mqtt channel", [string.IsNullOrEmpty(Broker) ? nameof(Broker) : nameof(Topic)]);
                break;
            case "email" when string.IsNullOrEmpty(SmtpHost) || string.IsNullOrEmpty(From) || To.Count == 0:
                yield return new ValidationResult("SmtpHost, From and at least one To address for an email channel", [string.IsNullOrEmpty(SmtpHost) ? nameof(SmtpHost) : string.IsNullOrEmpty(From) ? nameof(From) : nameof(To)]);
                break;
        }
    }
}
