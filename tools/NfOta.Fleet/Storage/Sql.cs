using System.Data.Common;

namespace NfOta.Fleet.Storage;

/// <summary>Commands with parameters only (never text pasted into SQL).</summary>
public static class Sql
{
    public static DbCommand Command(this FleetDatabase.Unit unit, string text, params (string Name, object? Value)[] parameters) =>
        Command(unit.Connection, unit.Transaction, text, parameters);

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(this FleetDatabase.Unit unit, string text, params (string Name, object? Value)[] parameters)
    {
        await using var command = unit.Command(text, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(this FleetDatabase.Unit unit, string text, params (string Name, object? Value)[] parameters)
    {
        await using var command = unit.Command(text, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Reads every row with <paramref name="read"/>.</summary>
    public static async Task<List<T>> QueryAsync<T>(this FleetDatabase.Unit unit, Func<DbDataReader, T> read, string text, params (string Name, object? Value)[] parameters)
    {
        await using var command = unit.Command(text, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.Long(ordinal);

    /// <summary>An integer column as long, whichever width the database gave it (PostgreSQL INTEGER is 32-bit, COUNT is 64).</summary>
    public static long Long(this DbDataReader reader, int ordinal) =>
        Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
