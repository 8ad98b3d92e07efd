package dev.mview.liquibase;

import dev.mview.liquibase.internal.MviewNamespaceDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import liquibase.change.AbstractChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.exception.Warnings;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;

/**
 * What mview's change types share: a schema, PostgreSQL only, and mview's XML namespace. Not meant
 * to be extended outside mview.
 */
public abstract class MaterializedViewChange extends AbstractChange {
  private String schemaName;
  /** Properties the changelog gave that the change does not take, in the order given. */
  private final List<String> unknownProperties = new ArrayList<>();

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

  /**
   * Notes the properties of the changelog node that this change does not take. Liquibase's YAML and
   * JSON parsers ignore them without a word (only XML has a schema to refuse them), so a misspelt
   * {@code replaceIfExist} would silently change what the change does; {@code validate} refuses it.
   */
  @Override
  protected void customLoadLogic(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
    super.customLoadLogic(parsedNode, resourceAccessor);
    Set<String> known = getSerializableFields();
    for (ParsedNode child : parsedNode.getChildren()) {
      if (!known.contains(child.getName()) && !takes(child) && !unknownProperties.contains(child.getName())) {
        unknownProperties.add(child.getName());
      }
    }
  }

  /** Whether {@code child} is something the change reads itself, not a property (nested changes). */
  boolean takes(ParsedNode child) {
    return false;
  }

  /** Adds an error for each property the changelog gave that this change does not take. */
  void rejectUnknownProperties(ValidationErrors errors) {
    for (String property : unknownProperties) {
      errors.addError(getSerializedObjectName() + " has property '" + property + "', which it does not take:"
          + " check the spelling; its properties are " + String.join(", ", new TreeSet<>(getSerializableFields())));
    }
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
