using Mono.Cecil;

namespace EnergyMonitor.Service.Tests.Architecture;

/// <summary>
/// The rules of docs/ARCHITECTURE.md that project references cannot state. A project's references are checked too,
/// because a reference added for convenience would compile. Inside the executable, its folders import one way, and
/// only the composition root and the commands name a concrete store. Checked on the compiled assemblies (every type
/// a type's members, attributes and method bodies reference), so that a fully qualified name cannot slip past as a
/// <c>using</c> could.
/// </summary>
public sealed class LayerTests
{
    private const string Root = "EnergyMonitor.Service";

    /// <summary>What each project may reference of ours: its layer and those below it.</summary>
    private static readonly Dictionary<string, string[]> Projects = new(StringComparer.Ordinal)
    {
        ["EnergyMonitor.Core"] = [],
        ["EnergyMonitor.Modbus"] = [],
        ["EnergyMonitor.MeterProtocols"] = [],
        ["EnergyMonitor.Storage"] = ["EnergyMonitor.Core"],
        ["EnergyMonitor.Analytics"] = ["EnergyMonitor.Core"],
        // Reports render what Analytics computes (conversions, indicators, the holiday calendar) rather than compute it again.
        ["EnergyMonitor.Reports"] = ["EnergyMonitor.Core", "EnergyMonitor.Analytics"],
        // The file formats produce the domain's types: tariffs, quotas, scorecards and the calendar are Analytics'.
        ["EnergyMonitor.Site"] = ["EnergyMonitor.Core", "EnergyMonitor.Analytics"],
        // Weather files import into Analytics' temperature series; stores are seen only through Core's ports.
        ["EnergyMonitor.Acquisition"] = ["EnergyMonitor.Core", "EnergyMonitor.Modbus", "EnergyMonitor.MeterProtocols", "EnergyMonitor.Site", "EnergyMonitor.Analytics"],
        ["EnergyMonitor.Notifications"] = ["EnergyMonitor.Core"],
        ["EnergyMonitor.Web"] = ["EnergyMonitor.Core", "EnergyMonitor.Analytics", "EnergyMonitor.Reports"],
        // The demo drafts the submission as an officer would, through the report job.
        ["EnergyMonitor.Simulation"] = ["EnergyMonitor.Core", "EnergyMonitor.Modbus", "EnergyMonitor.MeterProtocols", "EnergyMonitor.Site", "EnergyMonitor.Acquisition", "EnergyMonitor.Analytics", "EnergyMonitor.Reports"],
    };

    /// <summary>What each folder of the executable may use of the executable besides itself.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Settings"] = [],
        ["Telemetry"] = [],
        ["Hosting"] = ["Settings", "Telemetry"],
        ["Cli"] = ["Hosting", "Settings", "Telemetry"],
        [""] = ["Cli", "Hosting"], // Program
    };

    /// <summary>
    /// The folders of the executable that may name a concrete store: the composition root, the commands, the settings
    /// that configure stores, and the scrape gauges, which report the outbox's backlog.
    /// </summary>
    private static readonly string[] NameStores = ["Hosting", "Cli", "Settings", "Telemetry"];

    private static string Executable => typeof(EnergyMonitor.Service.Settings.ServiceSettings).Assembly.Location;

    [Theory]
    [MemberData(nameof(ProjectNames))]
    public void Each_project_references_only_its_layer_and_those_below(string project)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(Path.Combine(Path.GetDirectoryName(Executable)!, project + ".dll"));

        var references = assembly.MainModule.AssemblyReferences.Select(r => r.Name).Where(n => n.StartsWith("EnergyMonitor.", StringComparison.Ordinal)).ToList();

        Assert.All(references, r => Assert.Contains(r, Projects[project]));
    }

    public static TheoryData<string> ProjectNames() => [.. Projects.Keys];

    [Fact]
    public void The_executables_folders_import_one_way()
    {
        var violations = Violations(Edges(Executable)).ToList();

        Assert.True(violations.Count == 0, "forbidden imports:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Only_the_composition_root_and_the_commands_name_a_concrete_store()
    {
        var concrete = Edges(Executable)
            .Where(e => e.From.StartsWith(Root + ".", StringComparison.Ordinal) && !NameStores.Contains(Folder(e.From)) && e.To.StartsWith("EnergyMonitor.Storage.", StringComparison.Ordinal))
            .ToList();

        Assert.True(concrete.Count == 0, string.Join("\n", concrete));
    }

    [Fact]
    public void The_check_itself_catches_a_forbidden_import()
    {
        // A rule that could never fail would prove nothing: one forbidden edge of each kind is caught, an allowed one is not.
        var edges = new[]
        {
            ($"{Root}.Hosting.ServiceHost", $"{Root}.Cli.ExitCodes"),
            ($"{Root}.Settings.ServiceSettings", $"{Root}.Hosting.Scheduling"),
            ($"{Root}.Telemetry.ServiceMetrics", $"{Root}.Settings.ServiceSettings"),
            ($"{Root}.Cli.RunCommand", $"{Root}.Hosting.ServiceHost"), // allowed
        };

        Assert.Equal(3, Violations(edges).Count());
    }

    private static IEnumerable<string> Violations(IEnumerable<(string From, string To)> edges)
    {
        foreach (var (from, to) in edges)
        {
            if (!from.StartsWith(Root, StringComparison.Ordinal) || !to.StartsWith(Root + ".", StringComparison.Ordinal))
            {
                continue;
            }

            var a = Folder(from);
            var b = Folder(to);
            if (a != b && !Allowed[a].Contains(b))
            {
                yield return $"{from} ({a}) uses {to} ({b})";
            }
        }
    }

    /// <summary>The first namespace segment under the executable's, "" for the root (Program).</summary>
    private static string Folder(string type)
    {
        var rest = type.Length > Root.Length ? type[(Root.Length + 1)..] : "";
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "" : rest[..dot];
    }

    /// <summary>(type, referenced type) for every reference in the assembly, nested and generated types counted as their outer type.</summary>
    private static HashSet<(string From, string To)> Edges(string path)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(path);
        var edges = new HashSet<(string, string)>();
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var from = Outer(type).FullName;
            void Add(TypeReference? t)
            {
                switch (t)
                {
                    case null:
                        return;
                    case GenericInstanceType generic:
                        Add(generic.ElementType);
                        foreach (var argument in generic.GenericArguments)
                        {
                            Add(argument);
                        }

                        return;
                    case TypeSpecification spec:
                        Add(spec.ElementType);
                        return;
                    case GenericParameter:
                        return;
                }

                edges.Add((from, Outer(t).FullName));
            }

            // Attributes on the type and on every member (validation attributes name their type there).
            void AddAttributes(ICustomAttributeProvider provider)
            {
                foreach (var a in provider.CustomAttributes)
                {
                    Add(a.AttributeType);
                }
            }

            Add(type.BaseType);
            AddAttributes(type);
            foreach (var i in type.Interfaces)
            {
                Add(i.InterfaceType);
            }

            foreach (var f in type.Fields)
            {
                Add(f.FieldType);
                AddAttributes(f);
            }

            foreach (var p in type.Properties)
            {
                Add(p.PropertyType);
                AddAttributes(p);
            }

            foreach (var m in type.Methods)
            {
                AddAttributes(m);
                Add(m.ReturnType);
                foreach (var p in m.Parameters)
                {
                    Add(p.ParameterType);
                }

                if (!m.HasBody)
                {
                    continue;
                }

                foreach (var v in m.Body.Variables)
                {
                    Add(v.VariableType);
                }

                foreach (var instruction in m.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference t:
                            Add(t);
                            break;
                        case MethodReference method:
                            Add(method.DeclaringType);
                            Add(method.ReturnType);
                            break;
                        case FieldReference field:
                            Add(field.DeclaringType);
                            Add(field.FieldType);
                            break;
                    }
                }
            }
        }

        return edges;
    }

    private static TypeReference Outer(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }
}
