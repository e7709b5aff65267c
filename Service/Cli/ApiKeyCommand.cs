using System.CommandLine;
using System.Text.Json;
using EnergyMonitor.Web;

namespace EnergyMonitor.Service.Cli;

/// <summary><c>apikey new</c>: a key for the API (machines; people sign in to the console with accounts: <c>user add</c>), printed once, with the hash that goes in the settings.</summary>
internal static class ApiKeyCommand
{
    // The entry is pasted into a JSON file by hand: '+' and '/' of the base64 stay as they are.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TimeProvider time)
    {
        var name = new Option<string>("--name") { Description = "Who or what holds the key (shown in logs and as the acknowledger of alerts).", Required = true };
        var role = new Option<string>("--role") { Description = "viewer (read), operator (may acknowledge alerts) or admin.", DefaultValueFactory = _ => "viewer" };
        role.AcceptOnlyFromAmong([.. ApiKeys.Roles]);
        var create = new Command("new",
            "Make a new API key. The key is printed once and kept nowhere: hand it to its holder. Paste the printed entry into " +
            "EnergyMonitor:Http:ApiKeys in the settings file and restart the service.")
        {
            name, role,
        };
        create.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var keyName = parse.GetRequiredValue(name).Trim();
            if (keyName.Length is 0 or > 64)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--name: 1 to 64 characters").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var key = ApiKeys.NewKey();
            var entry = JsonSerializer.Serialize(new { Name = keyName, Hash = ApiKeys.Hash(key), Role = parse.GetRequiredValue(role) }, Relaxed);
            await output.WriteLineAsync($"key (shown once, give it to {keyName}):\n  {key}\n\nadd to EnergyMonitor:Http:ApiKeys in the settings file:\n  {entry}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("apikey", "API keys for machines that call the HTTP API (people use accounts: energymonitor user add).") { create };
    }
}
