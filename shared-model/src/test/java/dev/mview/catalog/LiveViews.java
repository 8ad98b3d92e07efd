package dev.mview.catalog;

import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live views for planner tests: what the catalog reader would have read, written by hand. Owned by
 * {@code migrator} (the tests' current user) unless said otherwise; definitions as
 * {@code pg_get_viewdef} would give them.
 */
public final class LiveViews {
  private final QualifiedName name;
  private final ViewKind kind;
  private final String definition;
  private long oid = 1000;
  private boolean populated = true;
  private String owner = "migrator";
  private String comment;
  private final List<String> columns = new ArrayList<>();
  private final Map<String, String> columnComments = new LinkedHashMap<>();
  private final List<LiveIndex> indexes = new ArrayList<>();
  private final List<Grant> grants = new ArrayList<>();

  private LiveViews(QualifiedName name, ViewKind kind, String definition) {
    this.name = name;
    this.kind = kind;
    this.definition = definition;
  }

  /** A materialized view {@code schema.name} with {@code definition} and {@code columns}. */
  public static LiveViews materialized(String name, String definition, String... columns) {
    return new LiveViews(QualifiedName.parse(name), ViewKind.MATERIALIZED_VIEW, definition).columns(columns);
  }

  /** A plain view. */
  public static LiveViews view(String name, String definition, String... columns) {
    return new LiveViews(QualifiedName.parse(name), ViewKind.VIEW, definition).columns(columns);
  }

  private LiveViews columns(String... names) {
    columns.addAll(List.of(names));
    return this;
  }

  public LiveViews oid(long oid) {
    this.oid = oid;
    return this;
  }

  public LiveViews unpopulated() {
    this.populated = false;
    return this;
  }

  public LiveViews owner(String owner) {
    this.owner = owner;
    return this;
  }

  public LiveViews comment(String comment) {
    this.comment = comment;
    return this;
  }

  public LiveViews columnComment(String column, String text) {
    columnComments.put(column, text);
    return this;
  }

  /** A btree index on plain columns, as {@code pg_get_indexdef} prints it. */
  public LiveViews index(String index, boolean unique, String... keys) {
    String definition = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + index + " ON " + name + " USING btree ("
        + String.join(", ", keys) + ")";
    indexes.add(new LiveIndex(index, definition, unique, false, List.of(keys), "btree", null, null));
    return this;
  }

  /** A partial unique index. */
  public LiveViews partialIndex(String index, String key, String predicate) {
    String definition = "CREATE UNIQUE INDEX " + index + " ON " + name + " USING btree (" + key + ") WHERE " + predicate;
    indexes.add(new LiveIndex(index, definition, true, true, List.of(key), "btree", predicate, null));
    return this;
  }

  /** A unique index on an expression (no plain key columns). */
  public LiveViews expressionIndex(String index, String expression) {
    String definition = "CREATE UNIQUE INDEX " + index + " ON " + name + " USING btree ((" + expression + "))";
    indexes.add(new LiveIndex(index, definition, true, false, List.of(), "btree", null, null));
    return this;
  }

  public LiveViews grant(String grantee, String privilege) {
    grants.add(new Grant(grantee, privilege, null, false, owner));
    return this;
  }

  public LiveView build() {
    return new LiveView(name, oid, kind, definition, populated, owner, null, Map.of(), comment, columns,
        columnComments, indexes, grants, null, List.of());
  }
}
