package dev.mview.liquibase;

import dev.mview.model.QualifiedName;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;

/**
 * A change of one named materialized view ({@code createMaterializedView},
 * {@code dropMaterializedView}). Not meant to be extended outside mview.
 */
public abstract class SingleMaterializedViewChange extends MaterializedViewChange {
  private String catalogName;
  private String viewName;

  /** For Liquibase's parsers, through the subclasses' no-argument constructors. */
  protected SingleMaterializedViewChange() {
    // properties are set one by one
  }

  /** Accepted for symmetry with Liquibase's view changes; PostgreSQL uses the connected database. */
  @DatabaseChangeProperty(description = "Catalog (database) name; PostgreSQL uses the connected database")
  public String getCatalogName() {
    return catalogName;
  }

  /** Sets the catalog name. */
  public void setCatalogName(String catalogName) {
    this.catalogName = catalogName;
  }

  /** The name of the view, as stored (case kept, no quotes). */
  @DatabaseChangeProperty(description = "Name of the materialized view", exampleValue = "daily_sales")
  public String getViewName() {
    return viewName;
  }

  /** Sets the view name. */
  public void setViewName(String viewName) {
    this.viewName = viewName;
  }

  /** The view's qualified name, in the connection's default schema when none is given. */
  QualifiedName qualifiedName(Database database) {
    return Changes.name(database, getSchemaName(), viewName);
  }
}
