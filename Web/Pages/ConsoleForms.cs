using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// A console form read and its antiforgery token checked, or the 4xx that says why not. Reading is where hostile
/// bodies throw (over the 64 KB limit: BadHttpRequestException; a malformed multipart or too many fields:
/// InvalidDataException), and each was a 500 from sign-in, sign-out and acknowledgement alike.
/// </summary>
internal static class ConsoleForms
{
    public static async Task<(IFormCollection? Form, IResult? Refusal)> ReadAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "not a form", detail: "send the console's form as application/x-www-form-urlencoded"));
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            return (null, Results.Problem(statusCode: e.StatusCode, title: "invalid form", detail: e.Message));
        }
        catch (InvalidDataException e)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid form", detail: e.Message));
        }

        // The form is read and cached on the request: the check below reads the token from it without a second parse.
        return await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false)
            ? (form, null)
            : (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid form", detail: "the form's antiforgery token is missing or wrong: reload the page and try again"));
    }

    /// <summary>
    /// A path on this site and nothing else: one leading slash, then printable ASCII with no backslash. Browsers drop
    /// a TAB or a newline from a URL, so "/\t/evil.example" would have become "//evil.example", another site; and a
    /// character outside ASCII cannot go into a Location header at all (it was a 500 after the acknowledgement).
    /// </summary>
    public static bool IsLocalPath(string back) =>
        back.Length is > 0 and <= 512 && back[0] == '/' && (back.Length == 1 || back[1] is not ('/' or '\\'))
        && back.All(c => c is > ' ' and < (char)127 && c != '\\');
}
