using System.Security.Claims;
using System.Text.Encodings.Web;
using EnergyMonitor.Core.Domain;
using Fluid;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// Renders a console page: its Fluid template (every value HTML-encoded by the engine) inside the layout, with the
/// words of the request's language, the caller's name and role, and the page's antiforgery token.
/// </summary>
internal static class ConsoleRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { MemberAccessStrategy = UnsafeMemberAccessStrategy.Instance };

    // Encodes what HTML needs (<, >, &, quotes) but leaves Chinese as characters rather than &#x...; entities.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private static readonly Dictionary<string, IFluidTemplate> Templates = LoadTemplates();

    /// <summary>The language the page was asked in (?lang=en), Chinese otherwise.</summary>
    public static Language Language(HttpContext context) => Core.Domain.Language.FromQuery(context.Request.Query["lang"].ToString());

    public static async Task<IResult> RenderAsync(HttpContext context, string page, object model, int status = 200)
    {
        var language = Language(context);
        var text = ConsoleText.For(language);
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(Accounts.ConsoleSessions.DisplayNameClaim)?.Value ?? context.User.Identity.Name : null;
        var role = context.User.FindFirst(ClaimTypes.Role)?.Value ?? "";
        var token = user is null ? null : context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var here = context.Request.Path.Value + context.Request.QueryString.Value;
        var body = await Templates[page].RenderAsync(new TemplateContext(new { T = text, Model = model, Lang = language.Code, Operator = ApiKeys.Allows(role, "operator"), Admin = ApiKeys.Allows(role, "admin"), Token = token, Here = here }, Options),
            Encoder).ConfigureAwait(false);
        var suffix = language.IsEnglish ? "?lang=en" : "";
        var html = await Templates["layout"].RenderAsync(new TemplateContext(new
        {
            T = text,
            Lang = language.Code,
            HtmlLang = language.Tag,
            Page = page,
            Body = body,
            User = user,
            Admin = ApiKeys.Allows(role, "admin"),
            Suffix = suffix,
            Other = language.IsEnglish ? context.Request.Path.Value : context.Request.Path.Value + "?lang=en",
            Token = token,
        }, Options), Encoder).ConfigureAwait(false);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The page that tells a signed-in person their role does not reach what they asked for.</summary>
    public static async Task ForbiddenAsync(HttpContext context) =>
        await (await RenderAsync(context, "forbidden", new { }, StatusCodes.Status403Forbidden).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);

    private static Dictionary<string, IFluidTemplate> LoadTemplates()
    {
        var assembly = typeof(ConsoleRenderer).Assembly;
        var result = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Web.Templates.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var key = name["Web.Templates.".Length..^".liquid".Length];
            result[key] = Parser.TryParse(reader.ReadToEnd(), out var template, out var error) ? template : throw new InvalidOperationException($"console template {key}: {error}");
        }

        return result;
    }
}
