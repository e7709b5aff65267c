using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>The root mapping of a one-document YAML file, or null with the error recorded against the file.</summary>
public static class YamlFile
{
    public static YamlMap? Root(string path, ErrorSink errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is YamlException or IOException or UnauthorizedAccessException)
        {
            errors.Add((e as YamlException)?.Start ?? Mark.Empty, "(file)", e.Message, "a readable, well-formed YAML file");
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(Mark.Empty, "(document)", $"{stream.Documents.Count} documents", "one YAML document");
            return null;
        }

        return YamlMap.From(stream.Documents[0].RootNode, "", errors);
    }
}
