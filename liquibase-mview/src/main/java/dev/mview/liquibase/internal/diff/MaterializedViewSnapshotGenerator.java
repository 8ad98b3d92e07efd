package dev.mview.liquibase.internal.diff;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.liquibase.snapshot.MaterializedView;
import dev.mview.model.QualifiedName;
import java.util.Optional;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.snapshot.jvm.JdbcSnapshotGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Schema;

/**
 * Snapshots PostgreSQL materialized views through mview's catalog reader: every one of a schema
 * Liquibase snapshots, with its query, indexes, comments, options and tablespace. The catalog is
 * read once per snapshot (a fixed number of queries however many views) and kept with the
 * snapshot, where the change generators find the dependency graph. Registered in
 * {@code META-INF/services/liquibase.snapshot.SnapshotGenerator}.
 */
public final class MaterializedViewSnapshotGenerator extends JdbcSnapshotGenerator {
  private static final String CATALOG = MaterializedViewSnapshotGenerator.class.getName() + ".catalog";

  /** Used by Liquibase's service loader. */
  public MaterializedViewSnapshotGenerator() {
    super(MaterializedView.class, new Class[] {Schema.class});
  }

  @Override
  public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
    return database instanceof PostgresDatabase ? super.getPriority(objectType, database) : PRIORITY_NONE;
  }

  @Override
  protected DatabaseObject snapshotObject(DatabaseObject example, DatabaseSnapshot snapshot) throws DatabaseException {
    if (example instanceof MaterializedView view && view.live().isPresent()) {
      return example; // found by addTo, read in full already
    }
    Optional<Catalog> catalog = catalog(snapshot);
    if (catalog.isEmpty() || example.getName() == null) {
      return null;
    }
    Schema schema = example.getSchema() == null || example.getSchema().getName() == null
        ? new Schema((String) null, snapshot.getDatabase().getDefaultSchemaName()) : example.getSchema();
    QualifiedName name = QualifiedName.of(schema.getName(), example.getName());
    return catalog.get().view(name).filter(LiveView::isMaterialized)
        .map(live -> MaterializedView.of(live, schema)).orElse(null);
  }

  @Override
  protected void addTo(DatabaseObject foundObject, DatabaseSnapshot snapshot) throws DatabaseException {
    if (!(foundObject instanceof Schema schema) || !snapshot.getSnapshotControl().shouldInclude(MaterializedView.class)) {
      return;
    }
    Optional<Catalog> catalog = catalog(snapshot);
    if (catalog.isEmpty()) {
      return;
    }
    for (LiveView live : catalog.get().views()) {
      if (live.isMaterialized() && live.name().schema().equals(schema.getName())) {
        schema.addDatabaseObject(MaterializedView.of(live, schema));
      }
    }
  }

  /**
   * The catalog behind {@code snapshot}, read on first use; empty without a live connection (a
   * snapshot of {@code offline:} or one loaded from a file).
   */
  static Optional<Catalog> catalog(DatabaseSnapshot snapshot) throws DatabaseException {
    Object kept = snapshot.getScratchData(CATALOG);
    if (kept instanceof Catalog catalog) {
      return Optional.of(catalog);
    }
    if (!(snapshot.getDatabase() instanceof PostgresDatabase)
        || !(snapshot.getDatabase().getConnection() instanceof JdbcConnection connection)) {
      return Optional.empty();
    }
    try {
      Catalog catalog = Catalog.read(connection.getUnderlyingConnection());
      snapshot.setScratchData(CATALOG, catalog);
      return Optional.of(catalog);
    } catch (MviewException e) {
      throw new DatabaseException("mview could not read the materialized views: " + e.getMessage(), e);
    }
  }

  /** The catalog read for {@code snapshot}, if this generator read one; never reads. */
  static Optional<Catalog> readFor(DatabaseSnapshot snapshot) {
    return snapshot != null && snapshot.getScratchData(CATALOG) instanceof Catalog catalog
        ? Optional.of(catalog) : Optional.empty();
  }
}
