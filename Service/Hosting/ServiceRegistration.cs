using EnergyMonitor.Acquisition;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Analytics.Alerts;
using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Notifications;
using EnergyMonitor.Service.Settings;
using EnergyMonitor.Service.Telemetry;
using EnergyMonitor.Site;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Postgres;
using EnergyMonitor.Storage.Relational;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// The composition root: every port registered once, here. The service and each CLI command build their
/// container from these, so a store or engine is wired the same way wherever it runs.
/// </summary>
public static class ServiceRegistration
{
    /// <summary>The validated settings and site, and the clock.</summary>
    public static IServiceCollection AddEnergyMonitorConfiguration(this IServiceCollection services, ServiceSettings settings, LoadedSite site, TimeProvider time)
    {
        services.AddSingleton(time);
        services.AddSingleton(settings);
        services.AddSingleton(site);
        services.AddSingleton(site.Model);
        return services;
    }

    /// <summary>
    /// The configured reading store and the stores of the embedded database that are always there: consumption and
    /// rollups, indicators, the quarantine.
    /// </summary>
    /// <param name="metrics">
    /// The service's metrics, which count what the reading store makes durable and what the quarantine keeps; a
    /// command that runs once has none, and gets the stores undecorated.
    /// </param>
    public static IServiceCollection AddEnergyMonitorStores(this IServiceCollection services, StoreComposition stores, ServiceMetrics? metrics = null)
    {
        services.AddSingleton(stores);
        services.AddSingleton(stores.Database);
        var pg = stores.Postgres;
        IQuarantine quarantine = pg is null ? new QuarantineStore(stores.Database) : new PostgresQuarantine(pg);
        if (metrics is null)
        {
            services.AddSingleton(stores.Store);
            services.AddSingleton(quarantine);
        }
        else
        {
            services.AddSingleton<IReadingStore>(sp => new MeteredReadingStore(stores.Store, metrics, sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IQuarantine>(new MeteredQuarantine(quarantine, metrics));
        }

        if (pg is null)
        {
            services.AddSingleton<IConsumptionStore>(new SqliteConsumptionStore(stores.Database));
            services.AddSingleton<IIndicatorStore>(new SqliteIndicatorStore(stores.Database));
            services.AddSingleton<IAlertStore>(new SqliteAlertStore(stores.Database));
            services.AddSingleton<IReportArchive>(new SqliteReportArchive(stores.Database));
        }
        else
        {
            services.AddSingleton(pg);
            services.AddSingleton<IConsumptionStore>(new PostgresConsumptionStore(pg));
            services.AddSingleton<IIndicatorStore>(new PostgresIndicatorStore(pg));
            services.AddSingleton<IAlertStore>(new PostgresAlertStore(pg));
            services.AddSingleton<IReportArchive>(new PostgresReportArchive(pg));
        }

        // Accounts, the audit log and the explanations: one implementation, on whichever database the site runs.
        var sql = pg is null ? SqlConnections.Of(stores.Database) : SqlConnections.Of(pg);
        services.AddSingleton<IAccountStore>(new AccountStore(sql));
        services.AddSingleton<IAuditLog>(new AuditLog(sql));
        services.AddSingleton<IExplanationStore>(new ExplanationStore(sql));

        return services;
    }

    /// <summary>The pipeline every acquisition path writes through: normalise, flag, store.</summary>
    public static IServiceCollection AddAcquisition(this IServiceCollection services)
    {
        services.AddSingleton<SampleNormalizer>();
        services.AddSingleton<StoreSampleSink>();
        services.AddSingleton<ISampleSink>(sp => sp.GetRequiredService<StoreSampleSink>());
        return services;
    }

    /// <summary>Consumption, rollups and indicators over the stores.</summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services, ServiceSettings settings)
    {
        // PostgreSQL answers several connections at once: the 1,000-meter pass took 2.9 s one meter at a time, 1.9 s
        // with 4 in flight and 1.8 s with 16, so 8, where two cores stop gaining (docs/PERFORMANCE.md). The embedded
        // file has one writer.
        services.AddSingleton(settings.Consumption.ToOptions() with { MeterParallelism = settings.Storage.Kind == StoreKind.Postgres ? 8 : 1 });
        services.AddSingleton(CoefficientSettings.Build(settings.CoefficientSets));
        services.AddSingleton<ConsumptionEngine>();
        services.AddSingleton<DailyIndicators>();
        services.AddSingleton<BuildingAssessment>();
        services.AddSingleton<YearIndicators>();
        services.AddSingleton<Analytics.Scorecard.InstitutionScores>();
        return services;
    }

    /// <summary>The anomaly pass and its options, the holiday calendar, and the channels' status board.</summary>
    /// <exception cref="ConfigException">The holiday calendar file is missing or malformed.</exception>
    public static IServiceCollection AddAlerting(this IServiceCollection services, ServiceSettings settings, string settingsFile)
    {
        var a = settings.Alerts;
        var path = ServiceSettingsLoader.Resolve(settingsFile, a.HolidaysFile);
        HolidayCalendar calendar;
        try
        {
            // The shipped calendar sits beside the shipped settings; a deployment that left it out (and kept the
            // default name) judges days off by weekends only, which reports say. A path set explicitly must exist.
            calendar = !File.Exists(path) && a.HolidaysFile == new AlertSettings().HolidaysFile ? HolidayCalendar.WeekendsOnly : HolidayCalendarFile.Load(path);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(settingsFile, 0, 0, "EnergyMonitor:Alerts:HolidaysFile", $"{path}: {e.Message}",
                "a readable holiday calendar (date,kind,name rows), such as config/holidays-cn.csv")]);
        }

        services.AddSingleton(calendar);
        services.AddSingleton(ToOptions(a));
        services.AddSingleton<AnomalyPass>();
        services.AddSingleton<ChannelStatuses>();

        // The robots' and webhooks' HTTP clients come from the factory, which renews their handlers (and so their DNS
        // lookups) every two minutes: one HttpClient for the service's life kept a WeCom address it resolved at start.
        services.AddHttpClient(AlertChannels.HttpClientName, client => client.Timeout = AlertChannels.HttpTimeout);
        return services;
    }

    public static AlertingOptions ToOptions(AlertSettings a) => new()
    {
        Anomalies = new AnomalyOptions
        {
            LearningDays = a.LearningDays,
            Leak = new NightLeakOptions(Nights: a.LeakNights),
            Overrides = a.Overrides.ToDictionary(o => o.Key, o => new MeterAnomalyOverride(
                o.Value.SilentAfterMinutes is { } m ? TimeSpan.FromMinutes(m) : null, o.Value.StuckAfterHours, o.Value.SpikeAbove,
                o.Value.Disable.Count > 0 ? o.Value.Disable.ToHashSet(StringComparer.Ordinal) : null), StringComparer.Ordinal),
        },
        Policy = new AlertPolicy(TimeSpan.FromHours(a.CooldownHours)),
        Routes = [.. a.Routes.Select(r => new AlertRoute(r.Channel, Enum.Parse<AlertSeverity>(r.MinimumSeverity, ignoreCase: true),
            r.Rules.Count > 0 ? r.Rules : null, r.Buildings.Count > 0 ? r.Buildings : null, r.Institutions.Count > 0 ? r.Institutions : null))],
        MonthlyBudgetShares = a.MonthlyBudgetShares.Count == 12 ? a.MonthlyBudgetShares : null,
    };

    /// <summary>The report builder over the rollups (after <see cref="AddAlerting"/>, whose calendar it uses).</summary>
    /// <exception cref="ConfigException">
    /// The tariffs, quotas or scorecard files are malformed, or the configured report font is not installed: every
    /// error of every file at once, so that check-config (which runs this too) lists them all.
    /// </exception>
    public static IServiceCollection AddReports(this IServiceCollection services, ServiceSettings settings, string settingsFile, string databasePath)
    {
        var r = settings.Reports;
        var errors = new List<ConfigError>();
        var tariffPath = ServiceSettingsLoader.Resolve(settingsFile, r.TariffsFile);
        var (book, tariffErrors) = File.Exists(tariffPath) ? TariffFile.Load(tariffPath) : (Analytics.Costs.TariffBook.Empty, []);
        errors.AddRange(tariffErrors);
        var quotaPath = ServiceSettingsLoader.Resolve(settingsFile, "quotas.yaml");
        var (quotas, quotaErrors) = File.Exists(quotaPath) ? QuotaFile.Load(quotaPath) : ([], []);
        errors.AddRange(quotaErrors);
        var (scorecard, scorecardErrors) = LoadScorecard(settingsFile, quotas);
        errors.AddRange(scorecardErrors);
        Reports.Charts.CjkFont? font = null;
        try
        {
            font = Reports.Charts.ReportFonts.Resolve(r.FontFamilies);
        }
        catch (Reports.Charts.MissingCjkFontException e)
        {
            errors.Add(new ConfigError(settingsFile, 0, 0, "EnergyMonitor:Reports:FontFamilies", string.Join(", ", r.FontFamilies.Select(f => $"\"{f}\"")),
                "installed font families (fc-list :lang=zh), or an empty list for the font shipped with EnergyMonitor: " + e.Message));
        }

        if (errors.Count > 0 || font is null)
        {
            throw new ConfigException(errors);
        }

        services.AddSingleton(book);
        services.AddSingleton<Reports.Model.ReportBuilder>();
        services.AddSingleton<Reports.Submission.SubmissionBuilder>();
        services.AddSingleton<Reports.Submission.SubmissionReviewer>();
        services.AddSingleton(new Reports.Jobs.ReportJobOptions(ReportArchiveDirectory(settings, databasePath), r.Formats, Language.Parse(r.Language), r.Institutions, font));
        services.AddSingleton<Reports.Jobs.MonthlyReportJob>();
        services.AddSingleton(new Reports.Jobs.SubmissionJobOptions(Path.Combine(Path.GetDirectoryName(databasePath)!, "submissions"), quotas));
        services.AddSingleton(scorecard);
        services.AddSingleton<Reports.Jobs.AnnualSubmissionJob>();
        return services;
    }

    /// <summary>The report archive folder: as configured when absolute, else beside the database.</summary>
    public static string ReportArchiveDirectory(ServiceSettings settings, string databasePath) =>
        Path.IsPathRooted(settings.Reports.ArchiveDirectory) ? settings.Reports.ArchiveDirectory : Path.Combine(Path.GetDirectoryName(databasePath)!, settings.Reports.ArchiveDirectory);

    /// <summary>
    /// The scorecard beside the settings (scorecard.yaml, and the officer's scorecard-YEAR.yaml entries) for the
    /// reports' assessment section; without scorecard.yaml, reports carry targets and quotas but no scores.
    /// </summary>
    private static (Analytics.Scorecard.ScorecardSetup Setup, IReadOnlyList<ConfigError> Errors) LoadScorecard(string settingsFile, IReadOnlyList<Analytics.Quotas.EnergyQuota> quotas)
    {
        var schemePath = ServiceSettingsLoader.Resolve(settingsFile, "scorecard.yaml");
        if (!File.Exists(schemePath))
        {
            return (Analytics.Scorecard.ScorecardSetup.None with { Quotas = quotas }, []);
        }

        var (scheme, errors) = ScorecardFiles.LoadScheme(schemePath);
        var inputs = new Dictionary<int, IReadOnlyDictionary<string, Analytics.Scorecard.ScoreInput>>();
        var all = new List<ConfigError>(errors);
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(schemePath)!, "scorecard-*.yaml"))
        {
            var (entries, year, inputErrors) = ScorecardFiles.LoadInput(file);
            all.AddRange(inputErrors);
            if (year is { } y && inputErrors.Count == 0)
            {
                inputs[y] = entries;
            }
        }

        return (new Analytics.Scorecard.ScorecardSetup(scheme, inputs, quotas), all);
    }
}
