using System.CommandLine;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Web;
using EnergyMonitor.Web.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

/// <summary>
/// <c>user add|passwd|disable|enable|unlock|list</c>: the console's accounts from the server's shell, for the first
/// admin and for the day the last admin forgets a password. Each change goes to the audit log as "cli:" and the
/// shell's user. Passwords come from standard input with --password-stdin, or are made up and printed once.
/// </summary>
internal static class UserCommands
{
    public static Command Create(TimeProvider time)
    {
        var command = new Command("user", "The web console's accounts: named people with a role (viewer, operator, admin) and a password.");
        command.Add(Add(time));
        command.Add(Change(time, "passwd", "Set an account's password (its sessions end). Made up and printed when --password-stdin is not given.", needsPassword: true,
            (accounts, actor, name, password, ct) => accounts.SetPasswordAsync(actor, name, password!, ct)));
        command.Add(Change(time, "disable", "Disable an account: it cannot sign in, and its sessions end.", needsPassword: false,
            (accounts, actor, name, _, ct) => accounts.SetDisabledAsync(actor, name, true, ct)));
        command.Add(Change(time, "enable", "Enable a disabled account again.", needsPassword: false,
            (accounts, actor, name, _, ct) => accounts.SetDisabledAsync(actor, name, false, ct)));
        command.Add(Change(time, "unlock", "Unlock an account locked by wrong passwords.", needsPassword: false,
            (accounts, actor, name, _, ct) => accounts.UnlockAsync(actor, name, ct)));
        command.Add(List(time));
        return command;
    }

    private static string Actor => "cli:" + Environment.UserName;

    private static Command Add(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var name = new Argument<string>("name") { Description = "The sign-in name: 2 to 32 of a-z, 0-9, '.', '-', '_'." };
        var role = new Option<string>("--role") { Description = "viewer (reads), operator (acknowledges alerts, explains the submission) or admin (also manages accounts).", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeys.Roles]);
        var display = new Option<string?>("--display-name") { Description = "The name the console shows, e.g. 王工; default the sign-in name." };
        var stdin = PasswordStdin();
        var command = new Command("add", "Add an account. Its password is read from standard input with --password-stdin, or made up and printed once.")
        {
            settings, site, name, role, display, stdin,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var account = parse.GetRequiredValue(name);
            var (password, generated) = await PasswordAsync(parse, stdin).ConfigureAwait(false);
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var problem = await Accounts(store, config, time).AddAsync(Actor, account, parse.GetValue(display) ?? "", parse.GetRequiredValue(role), password, ct).ConfigureAwait(false);
            return await ReportAsync(parse, problem, $"added {AccountNames.Normalise(account)} ({parse.GetRequiredValue(role)})", generated ? password : null).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Change(TimeProvider time, string verb, string description, bool needsPassword,
        Func<AccountService, string, string, string?, CancellationToken, Task<Core.Domain.LocalizedText?>> change)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var name = new Argument<string>("name") { Description = "The account's sign-in name." };
        var stdin = PasswordStdin();
        var command = new Command(verb, description) { settings, site, name };
        if (needsPassword)
        {
            command.Add(stdin);
        }

        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var (password, generated) = needsPassword ? await PasswordAsync(parse, stdin).ConfigureAwait(false) : (null, false);
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var account = parse.GetRequiredValue(name);
            var problem = await change(Accounts(store, config, time), Actor, account, password, ct).ConfigureAwait(false);
            return await ReportAsync(parse, problem, $"{verb}: {AccountNames.Normalise(account)} done", generated ? password : null).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var command = new Command("list", "The accounts: name, role, and whether disabled or locked.") { settings, site };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            foreach (var a in await store.Services.GetRequiredService<IAccountStore>().ListAsync(ct).ConfigureAwait(false))
            {
                var state = a.Disabled ? "disabled" : a.IsLocked(now) ? $"locked until {a.LockedUntil:yyyy-MM-dd HH:mm}Z" : "active";
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{a.Name,-24} {a.Role,-9} {state,-30} {a.DisplayName}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<bool> PasswordStdin() => new("--password-stdin") { Description = "Read the password from the first line of standard input (for scripts)." };

    private static AccountService Accounts(CliStore store, CliConfig config, TimeProvider time) =>
        new(store.Services.GetRequiredService<IAccountStore>(), store.Services.GetRequiredService<IAuditLog>(), AccountPolicy.From(config.Settings.Http), time);

    private static async Task<(string Password, bool Generated)> PasswordAsync(ParseResult parse, Option<bool> stdin) =>
        parse.GetValue(stdin) ? ((await Console.In.ReadLineAsync().ConfigureAwait(false) ?? "").TrimEnd('\r'), false) : (Passwords.Generate(), true);

    private static async Task<int> ReportAsync(ParseResult parse, Core.Domain.LocalizedText? problem, string done, string? generated)
    {
        if (problem is not null)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(problem.En).ConfigureAwait(false);
            return ExitCodes.ConfigInvalid;
        }

        await parse.InvocationConfiguration.Output.WriteLineAsync(done).ConfigureAwait(false);
        if (generated is not null)
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync($"password (shown once): {generated}").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
