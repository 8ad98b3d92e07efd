package dev.mview.catalog;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A view or materialized view as the database holds it, with everything a drop would lose.
 *
 * @param name its qualified name
 * @param oid its {@code pg_class} OID (changes when it is recreated)
 * @param kind plain or materialized
 * @param definition {@code pg_get_viewdef}, read with only {@code pg_catalog} on the search path so
 *     every relation is schema-qualified and the text replays anywhere; null when the catalog was
 *     read without definitions (the accessor then throws)
 * @param populated false for a materialized view created or refreshed {@code WITH NO DATA}
 * @param owner the owning role
 * @param tablespace its tablespace, or null for the default
 * @param options {@code reloptions} ({@code fillfactor}, {@code check_option}, ...), in order
 * @param comment the relation comment, or null
 * @param columns the column names, in order
 * @param columnComments comments by column name
 * @param indexes its indexes, by name
 * @param grants table and column privileges of roles other than the owner, with their grantors
 * @param ownerPrivileges the relation privileges the owner holds, when its privileges were changed
 *     from the default (a privilege the owner revoked from itself is missing here); null while they
 *     are the default (all of them)
 * @param triggers {@code pg_get_triggerdef} of its user triggers
 */
public record LiveView(QualifiedName name, long oid, ViewKind kind, String definition, boolean populated,
    String owner, String tablespace, Map<String, String> options, String comment, List<String> columns,
    Map<String, String> columnComments, List<LiveIndex> indexes, List<Grant> grants, Set<String> ownerPrivileges,
    List<String> triggers) {

  public LiveView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    columns = List.copyOf(columns);
    columnComments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columnComments));
    indexes = List.copyOf(indexes);
    grants = List.copyOf(grants);
    ownerPrivileges = ownerPrivileges == null ? null : Set.copyOf(ownerPrivileges);
    triggers = List.copyOf(triggers);
  }

  /**
   * The deparsed query.
   *
   * @throws MviewException of kind {@code INTERNAL} when the catalog was read without definitions
   */
  @Override
  public String definition() {
    if (definition == null) {
      throw new MviewException(MviewException.Kind.INTERNAL, "the definition of " + name + " was not read: use Catalog.read, not"
          + " Catalog.readWithoutDefinitions");
    }
    return definition;
  }

  /** Whether it is a materialized view. */
  public boolean isMaterialized() {
    return kind == ViewKind.MATERIALIZED_VIEW;
  }

  /** The relation comment; empty when there is none. */
  public Optional<String> commentText() {
    return Optional.ofNullable(comment);
  }

  /** Its index named {@code indexName}, if it has one. */
  public Optional<LiveIndex> index(String indexName) {
    return indexes.stream().filter(index -> index.name().equals(indexName)).findFirst();
  }

  /**
   * This view as a declaration: its live query, options, tablespace and comment, and populated as
   * it is now. Indexes are not included: their live definitions are replayed verbatim instead.
   */
  public ViewDefinition toDefinition() {
    ViewDefinition.Builder builder = kind == ViewKind.MATERIALIZED_VIEW
        ? ViewDefinition.materializedView(name, definition()).withData(populated).tablespace(tablespace)
        : ViewDefinition.view(name, definition());
    options.forEach(builder::storageParameter);
    return builder.comment(comment).build();
  }
}
