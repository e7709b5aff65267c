using Mono.Cecil;

namespace EnergyMonitor.Collector.Tests.Architecture;

/// <summary>
/// The import rules of docs/ARCHITECTURE.md, checked on the compiled assemblies (every type a type's members,
/// attributes and method bodies reference), so that a fully qualified name cannot slip past them as a
/// <c>using</c> could.
/// </summary>
public sealed class LayerTests
{
    private const string Root = "EnergyMonitor.Collector";

    /// <summary>What each folder of Collector may use besides itself, Core and the other projects below the host.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Modbus"] = [],
        ["Configuration"] = ["Modbus"],
        ["Pipeline"] = ["Configuration"],
        ["Import"] = ["Pipeline", "Configuration"],
        ["Mqtt"] = ["Pipeline", "Configuration"],
        ["Polling"] = ["Modbus", "Pipeline", "Configuration"],
        ["Simulation"] = ["Polling", "Mqtt", "Modbus", "Pipeline", "Configuration"],
        ["Alerting"] = ["Mqtt", "Configuration"],
        ["Web"] = ["Alerting", "Configuration"],
        ["Hosting"] = ["Web", "Alerting", "Polling", "Mqtt", "Import", "Simulation", "Modbus", "Pipeline", "Configuration"],
        ["Cli"] = ["Hosting", "Web", "Alerting", "Polling", "Mqtt", "Import", "Simulation", "Modbus", "Pipeline", "Configuration"],
        [""] = ["Cli"], // Program
    };

    /// <summary>What each project may reference of the others.</summary>
    private static readonly Dictionary<string, string[]> Projects = new(StringComparer.Ordinal)
    {
        ["EnergyMonitor.Core"] = [],
        ["EnergyMonitor.Storage"] = ["EnergyMonitor.Core"],
        ["EnergyMonitor.Analytics"] = ["EnergyMonitor.Core"],
        // Reports render what Analytics computes (conversions, indicators, the holiday calendar) rather than compute it again.
        ["EnergyMonitor.Reports"] = ["EnergyMonitor.Core", "EnergyMonitor.Analytics"],
    };

    [Fact]
    public void Collector_folders_import_one_way()
    {
        var violations = Violations(Edges(typeof(EnergyMonitor.Collector.Configuration.ServiceSettings).Assembly.Location)).ToList();

        Assert.True(violations.Count == 0, "forbidden imports:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_Modbus_stack_knows_nothing_of_energy()
    {
        var edges = Edges(typeof(EnergyMonitor.Collector.Configuration.ServiceSettings).Assembly.Location);

        var energy = edges.Where(e => Folder(e.From) == "Modbus" && e.To.StartsWith("EnergyMonitor.", StringComparison.Ordinal) && Folder(e.To) != "Modbus").ToList();

        Assert.True(energy.Count == 0, string.Join("\n", energy));
    }

    [Theory]
    [InlineData("Mqtt")]
    [InlineData("Polling")]
    [InlineData("Pipeline")]
    [InlineData("Import")]
    [InlineData("Modbus")]
    public void Acquisition_sees_stores_only_through_Core_ports(string folder)
    {
        var edges = Edges(typeof(EnergyMonitor.Collector.Configuration.ServiceSettings).Assembly.Location);

        var concrete = edges.Where(e => e.From.StartsWith(Root, StringComparison.Ordinal) && Folder(e.From) == folder && e.To.StartsWith("EnergyMonitor.Storage.", StringComparison.Ordinal)).ToList();

        Assert.True(concrete.Count == 0, string.Join("\n", concrete));
    }

    [Theory]
    [InlineData("EnergyMonitor.Core")]
    [InlineData("EnergyMonitor.Storage")]
    [InlineData("EnergyMonitor.Analytics")]
    [InlineData("EnergyMonitor.Reports")]
    public void Projects_below_the_host_reference_only_what_they_may(string project)
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(EnergyMonitor.Collector.Configuration.ServiceSettings).Assembly.Location)!, project + ".dll");
        using var assembly = AssemblyDefinition.ReadAssembly(path);

        var references = assembly.MainModule.AssemblyReferences.Select(r => r.Name).Where(n => n.StartsWith("EnergyMonitor.", StringComparison.Ordinal)).ToList();

        Assert.All(references, r => Assert.Contains(r, Projects[project]));
    }

    [Fact]
    public void The_check_itself_catches_an_import_of_Cli_from_below()
    {
        // A rule that could never fail would prove nothing: one forbidden edge of each kind is caught.
        var edges = new[]
        {
            ($"{Root}.Hosting.ServiceHost", $"{Root}.Cli.ExitCodes"),
            ($"{Root}.Configuration.ServiceSettings", $"{Root}.Hosting.Scheduling"),
            ($"{Root}.Modbus.ModbusClient", $"{Root}.Polling.GatewayPoller"),
            ($"{Root}.Polling.GatewayPoller", $"{Root}.Modbus.ModbusClient"), // allowed
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

    /// <summary>The first namespace segment under Collector, "" for the root (Program).</summary>
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
