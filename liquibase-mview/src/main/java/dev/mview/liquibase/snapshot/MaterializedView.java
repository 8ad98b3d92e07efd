package dev.mview.liquibase.snapshot;

import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.plan.Recreation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import liquibase.structure.AbstractDatabaseObject;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;

/**
 * A PostgreSQL materialized view as Liquibase snapshots, diffs and prints it: part of the standard
 * snapshot types once mview-liquibase is on the class path, so {@code snapshot},
 * {@code generate-changelog}, {@code diff}, {@code diff-changelog} and {@code drop-all} see it.
 *
 * <p>Its attributes are what a changelog can recreate: the query ({@code definition}, as
 * PostgreSQL deparses it, every relation schema-qualified), whether it is {@code populated},
 * {@code tablespace}, {@code storageParameters} ({@code fillfactor=70}), {@code remarks} (the
 * comment), {@code columnRemarks} and {@code indexes} (each the {@code CREATE INDEX} statement
 * that recreates it, as {@code pg_get_indexdef} gives it). Owner and privileges are left out, as
 * Liquibase leaves them out of tables and views. A diff compares every attribute but
 * {@code populated}: a refresh is not a change of schema.
 */
public class MaterializedView extends AbstractDatabaseObject {
  /** Attribute: the query. */
  public static final String DEFINITION = "definition";
  /** Attribute: whether it holds rows ({@code false} after {@code WITH NO DATA}). */
  public static final String POPULATED = "populated";
  /** Attribute: its tablespace, absent for the default. */
  public static final String TABLESPACE = "tablespace";
  /** Attribute: its storage parameters as {@code key=value}, absent when none. */
  public static final String STORAGE_PARAMETERS = "storageParameters";
  /** Attribute: its comment, absent when none. */
  public static final String REMARKS = "remarks";
  /** Attribute: comments on its columns, by column name in column order, absent when none. */
  public static final String COLUMN_REMARKS = "columnRemarks";
  /** Attribute: the statements that recreate its indexes, in index-name order, absent when none. */
  public static final String INDEXES = "indexes";

  /** What the catalog read; not serialized, so absent on a view loaded from a snapshot file. */
  private LiveView live;

  /** An empty view, for Liquibase's snapshot parsers and examples. */
  public MaterializedView() {
    // attributes are set one by one
  }

  /** An example to look a view up by: only its schema and name. */
  public MaterializedView(Schema schema, String name) {
    setSchema(schema);
    setName(name);
  }

  /** The view {@code live} of {@code schema}, with every attribute read from it. */
  public static MaterializedView of(LiveView live, Schema schema) {
    MaterializedView view = new MaterializedView(schema, live.name().name());
    view.live = live;
    view.setAttribute(DEFINITION, live.toDefinition().query());
    view.setAttribute(POPULATED, live.populated());
    view.setAttribute(TABLESPACE, live.tablespace());
    List<String> options = new ArrayList<>();
    live.options().forEach((key, value) -> options.add(key + "=" + value));
    view.setAttribute(STORAGE_PARAMETERS, options.isEmpty() ? null : options);
    view.setAttribute(REMARKS, live.comment());
    Map<String, String> columnRemarks = new LinkedHashMap<>();
    live.columns().stream().filter(live.columnComments()::containsKey)
        .forEach(column -> columnRemarks.put(column, live.columnComments().get(column)));
    view.setAttribute(COLUMN_REMARKS, columnRemarks.isEmpty() ? null : columnRemarks);
    List<String> indexes = new ArrayList<>();
    for (LiveIndex index : live.indexes()) {
      indexes.add(Recreation.statement(live.name(), index));
    }
    view.setAttribute(INDEXES, indexes.isEmpty() ? null : indexes);
    return view;
  }

  @Override
  public String getName() {
    return getAttribute("name", String.class);
  }

  @Override
  public MaterializedView setName(String name) {
    setAttribute("name", name);
    return this;
  }

  @Override
  public Schema getSchema() {
    return getAttribute("schema", Schema.class);
  }

  /** Sets the schema the view lives in. */
  public MaterializedView setSchema(Schema schema) {
    setAttribute("schema", schema);
    return this;
  }

  @Override
  public DatabaseObject[] getContainingObjects() {
    return getSchema() == null ? null : new DatabaseObject[] {getSchema()};
  }

  /** The query, as PostgreSQL deparses it. */
  public String getDefinition() {
    return getAttribute(DEFINITION, String.class);
  }

  /** Whether the view holds rows. */
  public Boolean getPopulated() {
    return getAttribute(POPULATED, Boolean.class);
  }

  /** The view's tablespace, or null for the default. */
  public String getTablespace() {
    return getAttribute(TABLESPACE, String.class);
  }

  /** The view's comment, or null. */
  public String getRemarks() {
    return getAttribute(REMARKS, String.class);
  }

  /** The statements that recreate the view's indexes; empty when it has none. */
  @SuppressWarnings("unchecked")
  public List<String> getIndexes() {
    List<String> indexes = getAttribute(INDEXES, List.class);
    return indexes == null ? List.of() : List.copyOf(indexes);
  }

  /**
   * The view as mview's catalog read it, from which changes are made; empty for a view loaded
   * from a snapshot file, which can be printed and compared but not turned into changes.
   */
  public Optional<LiveView> live() {
    return Optional.ofNullable(live);
  }
}
