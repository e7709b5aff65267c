using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using Prometheus;

namespace EnergyMonitor.Web;

/// <summary>
/// The HTTP side of the service: Kestrel on the configured URL, key and cookie authentication, /health, /metrics,
/// the API, the OpenAPI document when asked for, and the console; with the checks that keep it safe by default.
/// </summary>
public static class WebSetup
{
    public const string ViewerPolicy = "viewer";
    public const string OperatorPolicy = "operator";
    public const string AdminPolicy = "admin";

    /// <summary>The API's policies: an API key only. A console session cookie does not authenticate /api/v1, so no other site can make a signed-in browser write through it.</summary>
    public const string ApiViewerPolicy = "api-viewer";
    public const string ApiOperatorPolicy = "api-operator";
    private const string EitherScheme = "key-or-cookie";

    public static void AddEnergyMonitorWeb(this WebApplicationBuilder builder, HttpSettings http, string dataDirectory, string reportArchive, string databaseFile)
    {
        var uri = new Uri(http.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            var address = uri.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host.Trim('[', ']'));
            kestrel.Listen(address, uri.Port, listen =>
            {
                if (uri.Scheme == "https")
                {
                    var password = http.CertificatePasswordEnv is { } env ? Environment.GetEnvironmentVariable(env) : null;
                    listen.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(http.CertificateFile!, password));
                }
            });
        });

        var services = builder.Services;
        services.AddSingleton(sp => new KeyRing(http.ApiKeys, sp.GetRequiredService<KeyCheckBudget>()));
        services.AddSingleton(sp => new AuthFailureThrottle(http.FailedAuthPerMinute, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Api.KnownSeriesSet(sp.GetRequiredService<Core.Site.SiteModel>()));
        services.AddSingleton(new ReportFiles([reportArchive], databaseFile));
        services.AddSingleton<Queries.MeterStatusQuery>();
        services.AddSingleton<Queries.OverviewQuery>();
        services.AddSingleton<Queries.BuildingQuery>();
        services.AddSingleton<Queries.SiteYears>();
        services.AddSingleton<Queries.SubmissionQuery>();
        services.AddSingleton<Queries.RankingQuery>();
        services.AddSingleton<Queries.ScorecardQuery>();
        services.AddSingleton<Queries.MeterTreeQuery>();
        services.AddSingleton<Queries.EnergyFlowQuery>();
        services.AddSingleton(sp => new KeyCheckBudget(http.KeyChecksPerSecond, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(Accounts.AccountPolicy.From(http));
        services.AddSingleton<Accounts.ConsoleSessions>();
        services.AddSingleton(sp => new Accounts.AccountService(sp.GetRequiredService<Core.Ports.IAccountStore>(), sp.GetRequiredService<Core.Ports.IAuditLog>(),
            sp.GetRequiredService<Accounts.AccountPolicy>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<KeyCheckBudget>()));
        services.AddSingleton<RefusalLog>();

        // A body Kestrel refuses (over its size, cut short) is the client's fault wherever it is read: its own 4xx.
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = StatusOf);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.HttpContext.Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                c.HttpContext.Response.Headers.RetryAfter = "30";
            }

            c.HttpContext.RequestServices.GetRequiredService<RefusalLog>().Note(c.HttpContext.Response.StatusCode, c.ProblemDetails.Title, c.HttpContext.Request.Path);
        });
        if (http.AllowedHosts.Count > 0)
        {
            services.AddHostFiltering(o =>
            {
                o.AllowedHosts = http.AllowedHosts;
                o.AllowEmptyHosts = false;
            });
        }

        // Every API figure that is not finite is null (an assessment's infinite CV(RMSE) was a 500).
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new FiniteOrNullConverter()));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "em-csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Console sessions survive a restart: the cookie keys live beside the database.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys"))).SetApplicationName("EnergyMonitor");
        services.AddAuthentication(EitherScheme)
            .AddPolicyScheme(EitherScheme, "API key or console session", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.Presented(context.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "em-session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The ticket lasts the session's whole lifetime; the server ends it sooner when it sits idle, at
                // sign-out, and when its account changes (ConsoleSessions, checked on every request).
                o.ExpireTimeSpan = TimeSpan.FromHours(http.SessionHours);
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = async context =>
                {
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<Accounts.ConsoleSessions>();
                    if (context.Principal is not { } principal || await sessions.ValidateAsync(principal, context.HttpContext.RequestAborted).ConfigureAwait(false) is null)
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
                    }
                };
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";

                // The API answers 401 and 403 as problems; only people in the console are sent to the sign-in page.
                o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(ViewerPolicy, p => p.RequireAuthenticatedUser())
            .AddPolicy(OperatorPolicy, p => p.RequireAssertion(IsOperator))
            .AddPolicy(AdminPolicy, p => p.RequireAssertion(c => HasRole(c, "admin")))
            .AddPolicy(ApiViewerPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(ApiOperatorPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAssertion(IsOperator));
        if (http.OpenApi)
        {
            services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "EnergyMonitor API";
                document.Info.Description = "Read-mostly JSON API of one EnergyMonitor instance (docs/API.md). Every call except /health and /metrics needs an API key in X-Api-Key.";
                return Task.CompletedTask;
            }));
        }
    }

    /// <summary>
    /// The status of a request an exception ended: a body Kestrel refused is the client's fault (its own 4xx); the
    /// database not answering (PostgreSQL down, the file locked past its timeout) is the service unavailable for now,
    /// 503 with Retry-After, not a defect's 500; anything else is a defect.
    /// </summary>
    public static int StatusOf(Exception e) => e switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        System.Data.Common.DbException or TimeoutException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static bool IsOperator(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext c) => HasRole(c, "operator");

    private static bool HasRole(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext c, string role) =>
        c.User.Claims.Any(claim => claim.Type == System.Security.Claims.ClaimTypes.Role && ApiKeys.Allows(claim.Value, role));

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return status == StatusCodes.Status401Unauthorized
                ? Problems.WriteAsync(context.HttpContext, status, "API key required", "send a key in X-Api-Key (energymonitor apikey new)")
                : Problems.WriteAsync(context.HttpContext, status, "forbidden", Problems.ForbiddenDetail);
        }

        // A signed-in person sent to a page above their role is told so, not sent to sign in again.
        if (status == StatusCodes.Status403Forbidden)
        {
            return Pages.ConsoleRenderer.ForbiddenAsync(context.HttpContext);
        }

        // The framework builds an absolute URI from the request's Host header; a path keeps a forged Host out of it.
        context.Response.Redirect(Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri);
        return Task.CompletedTask;
    }

    public static void UseEnergyMonitorWeb(this WebApplication app, HttpSettings http, CollectorRegistry metrics)
    {
        if (http.TrustedProxies.Count > 0)
        {
            // Only the configured proxies' X-Forwarded-For is believed; from anyone else it is ignored.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in http.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
            }

            app.UseForwardedHeaders(forwarded);
        }

        if (http.AllowedHosts.Count > 0)
        {
            app.UseHostFiltering();
        }

        // Set as the headers go out, so that a 500 written by the exception handler (which clears the response) and
        // a 404 of the status pages carry them too; they were lost on 500s.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state => SecurityHeaders((HttpContext)state), context);
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            if (context.Request.QueryString.Value is { Length: > QueryInput.MaxQueryLength } query)
            {
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid request",
                    $"the query string is {query.Length} characters; at most {QueryInput.MaxQueryLength} are accepted").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        // The console's stylesheets and scripts, from the assembly: the framework's static files give them ETags,
        // Last-Modified and 304s, and never map a request path onto the disk.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new ManifestEmbeddedFileProvider(typeof(Pages.ConsolePages).Assembly, "wwwroot"),
            RequestPath = "/static",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync, AllowCachingResponses = false });
        app.MapMetrics("/metrics", metrics);
        if (http.OpenApi)
        {
            app.MapOpenApi("/openapi/{documentName}.json");
            app.UseSwaggerUI(o =>
            {
                o.RoutePrefix = "openapi";
                o.SwaggerEndpoint("/openapi/v1.json", "EnergyMonitor API v1");
            });
        }

        Api.ApiEndpoints.Map(app);
        Pages.ConsolePages.Map(app);
    }

    private static Task SecurityHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
        if (context.Request.IsHttps)
        {
            // A year, as browsers' preload lists ask; only over https, where it means something (RFC 6797 § 7.2).
            headers.StrictTransportSecurity = "max-age=31536000";
        }

        return Task.CompletedTask;
    }

    private static readonly JsonSerializerOptions HealthJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>The ASP.NET Core health report as JSON: overall status, and each check's status, description, duration and data.</summary>
    public static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalDuration = report.TotalDuration.ToString(),
            entries = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                duration = e.Value.Duration.ToString(),
                data = e.Value.Data,
                exception = e.Value.Exception?.Message,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson));
    }
}
