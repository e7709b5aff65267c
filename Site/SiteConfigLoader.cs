using System.Text.RegularExpressions;
using EnergyMonitor.Core.Site;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>The outcome of loading a site file: the model when there were no errors, and every error otherwise.</summary>
public sealed record SiteLoadResult(SiteModel? Site, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public SiteModel Require() => Site ?? throw new ConfigException(Errors);
}

/// <summary>
/// Reads <c>site.yaml</c> into the domain model. The structure is checked field by field (types, ranges, unknown
/// keys), then the whole site (unique ids, parent meters, cycles, gateway references); all errors are reported.
/// </summary>
public static partial class SiteConfigLoader
{
    /// <param name="templateUnits">What the site needs to know of each template (protocol, counting unit, edition); null skips the template checks.</param>
    public static SiteLoadResult Load(string path, DateTimeOffset now, IReadOnlyDictionary<string, TemplateFacts>? templateUnits = null)
    {
        var (text, error) = YamlFile.ReadText(path);
        if (text is null)
        {
            return new SiteLoadResult(null, [error!]);
        }

        return LoadText(text, path, now, templateUnits);
    }

    public static SiteLoadResult LoadText(string yaml, string fileName, DateTimeOffset now, IReadOnlyDictionary<string, TemplateFacts>? templateUnits = null)
    {
        var errors = new ErrorSink(fileName);
        var root = YamlFile.Parse(yaml, errors);
        if (root is null)
        {
            return new SiteLoadResult(null, errors.Errors);
        }

        var site = new SiteReader(errors, now, templateUnits).ReadSite(root);
        return errors.Errors.Count == 0 ? new SiteLoadResult(site, []) : new SiteLoadResult(null, errors.Errors);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    public static partial Regex IdPattern();

    private sealed partial class SiteReader(ErrorSink errors, DateTimeOffset now, IReadOnlyDictionary<string, TemplateFacts>? templateUnits)
    {
        private const string IdExpectation = "an id of letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters";

        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);
        private readonly List<(Meter Meter, YamlMap Map)> _meters = [];

        // Ids are recorded as soon as they are read, so that one defect in a meter or gateway does not
        // cascade into "unknown parent" or "unknown gateway" errors everywhere it is referenced.
        private readonly HashSet<string> _declaredMeters = new(StringComparer.Ordinal);
        private readonly HashSet<string> _declaredGateways = new(StringComparer.Ordinal);
        private TimeZoneInfo _zone = TimeZoneInfo.Utc;
        private string _regionCode = "";

        public SiteModel? ReadSite(YamlMap root)
        {
            var name = root.String("name");
            var region = root.Map("region") is { } r ? ReadRegion(r) : null;
            var gateways = root.MapList("gateways", required: false).Select(ReadGateway).OfType<Gateway>().ToList();
            var institutions = root.MapList("institutions").Select(ReadInstitution).OfType<Institution>().ToList();
            root.Finish();
            if (root.Has("institutions") && institutions.Count == 0 && root.List("institutions").Count == 0)
            {
                root.Error("institutions", "an empty list", "at least one institution");
            }

            CheckMeterReferences();
            return name is null || region is null ? null : new SiteModel(name, region, gateways, institutions);
        }

        private string? Id(YamlMap map, string what)
        {
            var id = map.String("id", expected: IdExpectation);
            if (id is null)
            {
                return null;
            }

            if (!IdPattern().IsMatch(id))
            {
                map.Error("id", $"\"{id}\"", IdExpectation);
                return null;
            }

            return Unique(map, "id", what, id) ? id : null;
        }

        private bool Unique(YamlMap map, string key, string what, string value)
        {
            var token = $"{what}:{value}";
            if (_seen.TryGetValue(token, out var firstPath))
            {
                map.Error(key, $"\"{value}\", already used at {firstPath}", $"a {what} {key} unique within the site");
                return false;
            }

            _seen[token] = map.Field(key);
            return true;
        }

        private static YamlNode? FindNode(YamlMap map, string key, string inner) =>
            map.Raw(key) is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(inner), out var v) ? v : map.Raw(key);

        private static T? Invalid<T>(YamlMap map, string key, string found, string expected)
            where T : struct
        {
            map.Error(key, $"\"{found}\"", expected);
            return null;
        }
    }
}
