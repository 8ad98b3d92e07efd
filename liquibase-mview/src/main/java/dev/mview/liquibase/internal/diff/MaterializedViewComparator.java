package dev.mview.liquibase.internal.diff;

import dev.mview.liquibase.snapshot.MaterializedView;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import liquibase.database.Database;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.compare.DatabaseObjectComparator;
import liquibase.diff.compare.DatabaseObjectComparatorChain;
import liquibase.diff.compare.DatabaseObjectComparatorFactory;
import liquibase.structure.DatabaseObject;

/**
 * Tells Liquibase's diff which materialized views are the same view (same schema, same name as
 * stored: PostgreSQL names are case-sensitive) and how two of them differ: in query, tablespace,
 * storage parameters, comment, column comments or indexes, each compared exactly. Whether a view is
 * populated is not compared; a refresh changes data, not schema. Registered in
 * {@code META-INF/services/liquibase.diff.compare.DatabaseObjectComparator}.
 */
public final class MaterializedViewComparator implements DatabaseObjectComparator {
  private static final List<String> COMPARED = List.of(MaterializedView.DEFINITION, MaterializedView.TABLESPACE,
      MaterializedView.STORAGE_PARAMETERS, MaterializedView.REMARKS, MaterializedView.COLUMN_REMARKS,
      MaterializedView.INDEXES);

  /** Used by Liquibase's service loader. */
  public MaterializedViewComparator() {
    // nothing to set up
  }

  @Override
  public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
    return MaterializedView.class.isAssignableFrom(objectType) ? PRIORITY_TYPE : PRIORITY_NONE;
  }

  @Override
  public String[] hash(DatabaseObject databaseObject, Database accordingTo, DatabaseObjectComparatorChain chain) {
    return new String[] {String.valueOf(databaseObject.getName())};
  }

  @Override
  public boolean isSameObject(DatabaseObject a, DatabaseObject b, Database accordingTo, DatabaseObjectComparatorChain chain) {
    if (!(a instanceof MaterializedView) || !(b instanceof MaterializedView) || !Objects.equals(a.getName(), b.getName())) {
      return false;
    }
    return a.getSchema() == null || b.getSchema() == null || DatabaseObjectComparatorFactory.getInstance()
        .isSameObject(a.getSchema(), b.getSchema(), chain.getSchemaComparisons(), accordingTo);
  }

  @Override
  public ObjectDifferences findDifferences(DatabaseObject reference, DatabaseObject compared, Database accordingTo,
      CompareControl compareControl, DatabaseObjectComparatorChain chain, Set<String> exclude) {
    ObjectDifferences differences = new ObjectDifferences(compareControl);
    for (String attribute : COMPARED) {
      Object referenceValue = reference.getAttribute(attribute, Object.class);
      Object comparedValue = compared.getAttribute(attribute, Object.class);
      if (!exclude.contains(attribute) && !Objects.equals(referenceValue, comparedValue)) {
        differences.addDifference(attribute, referenceValue, comparedValue);
      }
    }
    return differences;
  }
}
