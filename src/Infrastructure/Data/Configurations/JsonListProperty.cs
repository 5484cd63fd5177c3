using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StreamSpace.Infrastructure.Data.Configurations;

/// <summary>Stores a small list of records as one <c>jsonb</c> column, compared by content so unchanged lists are not rewritten.</summary>
internal static class JsonListProperty
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<IReadOnlyList<T>> IsJsonList<T>(this PropertyBuilder<IReadOnlyList<T>> property) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                list => JsonSerializer.Serialize(list, Json),
                json => JsonSerializer.Deserialize<List<T>>(json, Json) ?? new List<T>(),
                new ValueComparer<IReadOnlyList<T>>(
                    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                    list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
                    list => list.ToList()));
}
