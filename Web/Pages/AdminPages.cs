using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// The admin's pages: the accounts (add one, change its role, set a new password, disable, enable, unlock) and the
/// audit log. Every change goes through <see cref="AccountService"/>, which writes it to the log. A password an admin
/// sets is made up here and shown once on the answer, never chosen by the admin, never sent back again.
/// </summary>
internal static class AdminPages
{
    private const int AuditPage = 100;

    public static void Map(RouteGroupBuilder pages)
    {
        var admin = pages.MapGroup("/admin").RequireAuthorization(WebSetup.AdminPolicy);
        admin.MapGet("/users", (HttpContext c, AccountService accounts, TimeProvider time, CancellationToken ct) => UsersAsync(c, accounts, time, null, null, ct));
        admin.MapPost("/users", AddAsync);
        admin.MapPost("/users/{name}", ChangeAsync);
        admin.MapGet("/audit", AuditAsync);
    }

    private static async Task<IResult> UsersAsync(HttpContext context, AccountService accounts, TimeProvider time, LocalizedText? problem, (string Name, string Password)? shown, CancellationToken cancellationToken, int status = 200)
    {
        var language = ConsoleRenderer.Language(context);
        var now = time.GetUtcNow();
        var zone = context.RequestServices.GetRequiredService<SiteModel>().TimeZone;
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        // A page that shows a password once is not kept by the browser or anything between.
        context.Response.Headers.CacheControl = "no-store";
        return await ConsoleRenderer.RenderAsync(context, "users", new
        {
            Problem = problem?.In(language) ?? "",
            Shown = shown is { } s ? new { s.Name, s.Password } : null,
            Roles = ApiKeys.Roles,
            Me = context.User.Identity?.Name ?? "",
            Users = (await accounts.ListAsync(cancellationToken).ConfigureAwait(false)).Select(a => new
            {
                a.Name,
                a.DisplayName,
                a.Role,
                a.Disabled,
                Locked = a.IsLocked(now),
                LockedUntil = a.LockedUntil is { } u ? Local(u) : "",
                a.FailedAttempts,
                Created = Local(a.Created),
                Changed = Local(a.Changed),
            }).ToList(),
        }, status).ConfigureAwait(false);
    }

    private static async Task<IResult> AddAsync(HttpContext context, AccountService accounts, IAntiforgery antiforgery, TimeProvider time, CancellationToken cancellationToken)
    {
        var (form, refusal) = await ConsoleForms.ReadAsync(context, antiforgery).ConfigureAwait(false);
        if (form is null)
        {
            return refusal!;
        }

        var name = form["name"].ToString();
        var password = Passwords.Generate();
        var problem = await accounts.AddAsync(Actors.Of(context.User), name, form["displayName"].ToString(), form["role"].ToString(), password, cancellationToken).ConfigureAwait(false);
        return problem is null
            ? await UsersAsync(context, accounts, time, null, (AccountNames.Normalise(name), password), cancellationToken).ConfigureAwait(false)
            : await UsersAsync(context, accounts, time, problem, null, cancellationToken, StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }

    private static async Task<IResult> ChangeAsync(string name, HttpContext context, AccountService accounts, IAntiforgery antiforgery, TimeProvider time, CancellationToken cancellationToken)
    {
        var (form, refusal) = await ConsoleForms.ReadAsync(context, antiforgery).ConfigureAwait(false);
        if (form is null)
        {
            return refusal!;
        }

        var actor = Actors.Of(context.User);
        string? password = null;
        var problem = form["action"].ToString() switch
        {
            "role" => await accounts.SetRoleAsync(actor, name, form["role"].ToString(), cancellationToken).ConfigureAwait(false),
            "password" => await accounts.SetPasswordAsync(actor, name, password = Passwords.Generate(), cancellationToken).ConfigureAwait(false),
            "disable" => await accounts.SetDisabledAsync(actor, name, true, cancellationToken).ConfigureAwait(false),
            "enable" => await accounts.SetDisabledAsync(actor, name, false, cancellationToken).ConfigureAwait(false),
            "unlock" => await accounts.UnlockAsync(actor, name, cancellationToken).ConfigureAwait(false),
            _ => new LocalizedText("未知操作", "an action of role, password, disable, enable or unlock"),
        };
        return problem is null
            ? await UsersAsync(context, accounts, time, null, password is null ? null : (AccountNames.Normalise(name), password), cancellationToken).ConfigureAwait(false)
            : await UsersAsync(context, accounts, time, problem, null, cancellationToken, StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }

    private static async Task<IResult> AuditAsync(HttpContext context, IAuditLog audit, SiteModel site, CancellationToken cancellationToken)
    {
        long? before = long.TryParse(context.Request.Query["before"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b : null;
        var entries = await audit.ListAsync(AuditPage, before, cancellationToken).ConfigureAwait(false);
        return await ConsoleRenderer.RenderAsync(context, "audit", new
        {
            Entries = entries.Select(e => new
            {
                e.Id,
                At = TimeZoneInfo.ConvertTime(e.At, site.TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                e.Actor,
                e.Action,
                e.Subject,
                e.Detail,
            }).ToList(),
            Older = entries.Count == AuditPage ? entries[^1].Id.ToString(CultureInfo.InvariantCulture) : "",
        }).ConfigureAwait(false);
    }
}
