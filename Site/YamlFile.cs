using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>
/// The one way a YAML file of ours is read: its size, nesting and alias expansion bounded before anything is built
/// from it, then exactly one document whose root is a mapping. A configuration that breaks a bound is a config
/// error (exit 2), never an out-of-memory exit 1 or a stack overflow: under systemd only exit 2 stops the restart loop.
/// </summary>
public static class YamlFile
{
    /// <summary>The largest file read: a county's site file with a thousand meters is about 300 KB.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    /// <summary>Deeper than any of our schemas (site.yaml nests six levels); 100,000 nested [ overflowed the stack.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Nodes after every alias is expanded. A 2 KB file of nested aliases (the "billion laughs") expands to billions;
    /// the largest real site is about 60,000 nodes.
    /// </summary>
    public const long MaxExpandedNodes = 2_000_000;

    public static YamlMap? Root(string path, ErrorSink errors)
    {
        var (text, error) = ReadText(path);
        if (text is null)
        {
            errors.Add(error!);
            return null;
        }

        return Parse(text, errors);
    }

    /// <summary>
    /// The text of one of our YAML files, or the error that says why not: at most <see cref="MaxBytes"/>, readable,
    /// and UTF-8. A file saved as GBK or Latin-1 was read with U+FFFD in its names, which passed and then matched
    /// nothing; now the first bad byte is named with its line.
    /// </summary>
    public static (string? Text, ConfigError? Error) ReadText(string path)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes)
            {
                return (null, new ConfigError(path, 0, 0, "(file)", $"{length:N0} bytes", $"a YAML file of at most {MaxBytes:N0} bytes"));
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new ConfigError(path, 0, 0, "(file)", e.Message, "a readable, well-formed YAML file"));
        }

        try
        {
            var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            return (StrictUtf8.GetString(bytes, start, bytes.Length - start), null);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes.AsSpan(0, Math.Clamp(e.Index, 0, bytes.Length)).Count((byte)'\n');
            return (null, new ConfigError(path, line, 0, "(file)", $"a byte that is not UTF-8 (0x{bytes[Math.Clamp(e.Index, 0, bytes.Length - 1)]:X2})", "UTF-8 text: save the file as UTF-8, not GBK or ANSI"));
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The root mapping of <paramref name="text"/>, or null with every reason recorded in <paramref name="errors"/>.</summary>
    public static YamlMap? Parse(string text, ErrorSink errors)
    {
        if (text.Length > MaxBytes)
        {
            errors.Add(Mark.Empty, "(file)", $"{text.Length:N0} characters", $"a YAML file of at most {MaxBytes:N0} bytes");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            if (!WithinBounds(text, errors))
            {
                return null;
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // A syntax error hides everything after it, so it is the one error we can report.
            errors.Add(e.Start, "(syntax)", e.InnerException?.Message ?? e.Message, "well-formed YAML");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some unterminated flow collections.
            errors.Add(Mark.Empty, "(syntax)", "an unterminated [ ] or { } collection", "well-formed YAML");
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(Mark.Empty, "(document)", $"{stream.Documents.Count} YAML documents", "exactly one document");
            return null;
        }

        return YamlMap.From(stream.Documents[0].RootNode, "", errors);
    }

    /// <summary>
    /// One pass over the parser's events, which YamlDotNet produces without recursion: the nesting depth, and the
    /// size of each anchored node so that an alias counts as the nodes it stands for.
    /// </summary>
    private static bool WithinBounds(string text, ErrorSink errors)
    {
        var parser = new Parser(new StringReader(text));
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Before)>();
        long total = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case NodeEvent { } start and (MappingStart or SequenceStart):
                    if (open.Count >= MaxDepth)
                    {
                        errors.Add(start.Start, "(structure)", $"collections nested more than {MaxDepth} deep", "a configuration file shaped like docs/CONFIG.md");
                        return false;
                    }

                    open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, total));
                    total++;
                    break;
                case MappingEnd or SequenceEnd:
                    var (anchor, before) = open.Pop();
                    if (anchor is not null)
                    {
                        sizes[anchor] = total - before;
                    }

                    break;
                case Scalar scalar:
                    if (!scalar.Anchor.IsEmpty)
                    {
                        sizes[scalar.Anchor.Value] = 1;
                    }

                    total++;
                    break;
                case AnchorAlias alias:
                    total += sizes.GetValueOrDefault(alias.Value.Value, 1);
                    break;
            }

            if (total > MaxExpandedNodes)
            {
                errors.Add(parser.Current!.Start, "(structure)", $"more than {MaxExpandedNodes:N0} nodes once its aliases are expanded", "a configuration file without aliases that multiply it");
                return false;
            }
        }

        return true;
    }
}
