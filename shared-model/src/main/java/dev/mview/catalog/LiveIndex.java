package dev.mview.catalog;

import dev.mview.MviewException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An index as it exists on a materialized view.
 *
 * @param name the index name (in the view's schema)
 * @param definition {@code pg_get_indexdef}, fully qualified: replayable as it is; null when the
 *     catalog was read without definitions (the accessor then throws)
 * @param unique whether it is unique
 * @param partial whether it has a {@code WHERE} predicate
 * @param columns the key columns when every key is a plain column; empty when any key is an
 *     expression
 * @param method the access method ({@code btree}, ...)
 * @param predicate the deparsed {@code WHERE} predicate, or null (also when read without definitions)
 * @param tablespace the index's own tablespace, or null for the default
 */
public record LiveIndex(String name, String definition, boolean unique, boolean partial, List<String> columns,
    String method, String predicate, String tablespace) {
  public LiveIndex {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
  }

  /**
   * The {@code CREATE INDEX} statement.
   *
   * @throws MviewException of kind {@code INTERNAL} when the catalog was read without definitions
   */
  @Override
  public String definition() {
    if (definition == null) {
      throw new MviewException(MviewException.Kind.INTERNAL, "the definition of index " + name + " was not read: use Catalog.read,"
          + " not Catalog.readWithoutDefinitions");
    }
    return definition;
  }

  /** True when every key is a plain column (no expression). */
  public boolean onPlainColumns() {
    return !columns.isEmpty();
  }

  /** True when {@code REFRESH ... CONCURRENTLY} can use it: unique, on plain columns, no predicate. */
  public boolean allowsConcurrentRefresh() {
    return unique && !partial && onPlainColumns();
  }

  /** The index's own tablespace; empty for the default. */
  public Optional<String> tablespaceName() {
    return Optional.ofNullable(tablespace);
  }
}
