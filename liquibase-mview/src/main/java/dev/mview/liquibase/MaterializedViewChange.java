package dev.mview.liquibase;

import dev.mview.liquibase.internal.MviewNamespaceDetails;
import liquibase.change.AbstractChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.Warnings;

/**
 * What mview's change types share: a schema, PostgreSQL only, and mview's XML namespace. Not meant
 * to be extended outside mview.
 */
public abstract class MaterializedViewChange extends AbstractChange {
  private String schemaName;

  /** For Liquibase's parsers, through the subclasses' no-argument constructors. */
  protected MaterializedViewChange() {
    // properties are set one by one
  }

  /** The schema of the view, as stored; the connection's default schema when null. */
  @DatabaseChangeProperty(description = "Schema of the view or views (default: the connection's default schema)")
  public String getSchemaName() {
    return schemaName;
  }

  /** Sets the schema name. */
  public void setSchemaName(String schemaName) {
    this.schemaName = schemaName;
  }

  @Override
  public boolean supports(Database database) {
    return database instanceof PostgresDatabase;
  }

  @Override
  public Warnings warn(Database database) {
    // Nothing to warn about; the default would plan the change before validate has had its say.
    return new Warnings();
  }

  @Override
  public String getSerializedObjectNamespace() {
    return MviewNamespaceDetails.NAMESPACE;
  }
}
