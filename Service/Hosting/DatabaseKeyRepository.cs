using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// The data-protection key ring in PostgreSQL, for instances that share one database: the keys that protect the
/// console's session cookie and its forms' antiforgery tokens are the same on every instance, so a load balancer
/// needs no stickiness. Kept in each instance's data folder, they made a cookie from one instance unreadable on the
/// other. The framework reads the ring rarely (at start and when a key nears expiry), so these calls are synchronous,
/// as its interface is.
/// </summary>
internal sealed class DatabaseKeyRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY added, name", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand("INSERT INTO data_protection_keys (name, xml) VALUES (@n, @x) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("n", friendlyName));
        command.Parameters.Add(new NpgsqlParameter<string>("x", element.ToString(SaveOptions.DisableFormatting)));
        command.ExecuteNonQuery();
    }
}
