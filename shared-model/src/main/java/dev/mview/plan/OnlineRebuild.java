package dev.mview.plan;

import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.internal.Restore;
import dev.mview.internal.lexer.QueryReferences;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import dev.mview.sql.Identifiers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The steps of an online rebuild ({@link ReconcileOptions#online()}): every view of the rebuilt
 * closure is first built beside the live one — under its own name, in a work schema of the plan's
 * own — reading the new upstream views (its query's relation references rewritten on its tokens
 * to name the work schema), filled as the old one was, with its indexes, comments and statistics;
 * nothing live is touched. Only the last steps, the tail, lock live views: the old closure is
 * dropped downstream first, and each new view is moved into its schema (its indexes with it; names
 * unchanged, so its definition reads exactly as one rebuilt in place), then gets the owner,
 * privileges and triggers of the one it replaces.
 *
 * <p>Building under the same name in another schema, rather than under another name, keeps column
 * references such as {@code root.id} valid without aliases that would then stay in the definition.
 * It needs the right to create a schema in the database; the work schemas are dropped by the
 * tail, and everything happens in the plan's one transaction.
 */
final class OnlineRebuild {
  /** What the work schema of a rebuilt view's schema is called: this, then a hash of the schema's name. */
  static final String WORK_SCHEMA_PREFIX = "mview_online_";

  private final Catalog catalog;
  private final List<QualifiedName> rebuilt = new ArrayList<>();
  private final Map<String, Integer> left = new HashMap<>();

  /** For {@code rebuilds}, in create order (upstream first). */
  OnlineRebuild(Catalog catalog, List<Rebuild> rebuilds) {
    this.catalog = catalog;
    for (Rebuild rebuild : rebuilds) {
      rebuilt.add(rebuild.live().name());
      left.merge(rebuild.live().name().schema(), 1, Integer::sum);
    }
  }

  /** The work schema for views of {@code schema}: deterministic, and at most 21 bytes. */
  static String workSchema(String schema) {
    CRC32 crc = new CRC32();
    crc.update(schema.getBytes(StandardCharsets.UTF_8));
    return WORK_SCHEMA_PREFIX + HexFormat.of().toHexDigits((int) crc.getValue());
  }

  private static QualifiedName beside(QualifiedName view) {
    return QualifiedName.of(workSchema(view.schema()), view.name());
  }

  /**
   * {@code query} of {@code reader} reading the views being rebuilt beside, not the live ones: each
   * relation reference that resolves to one (as written, or unqualified in the reader's schema, then
   * {@code public}) names its copy in the work schema instead.
   */
  String readingNewViews(String query, QualifiedName reader) {
    return QueryReferences.rewrite(query, reference -> resolve(reference, reader)
        .map(OnlineRebuild::beside).map(Identifiers::quote).orElse(null));
  }

  private Optional<QualifiedName> resolve(QueryReferences.Reference reference, QualifiedName reader) {
    List<QualifiedName> candidates = reference.schema() != null
        ? List.of(QualifiedName.of(reference.schema(), reference.name()))
        : List.of(QualifiedName.of(reader.schema(), reference.name()),
            QualifiedName.of(QualifiedName.DEFAULT_SCHEMA, reference.name()));
    for (QualifiedName candidate : candidates) {
      if (rebuilt.contains(candidate)) {
        return Optional.of(candidate);
      }
      if (catalog.view(candidate).isPresent()) {
        return Optional.empty(); // a live view that stays: the query reads it as it is
      }
    }
    return Optional.empty();
  }

  /**
   * The build step of {@code rebuild}: the new view in the work schema (created by the first build
   * of its schema); its inverse drops it (and the work schema, for that first one).
   */
  Step build(Rebuild rebuild) {
    LiveView live = rebuild.live();
    QualifiedName name = live.name();
    QualifiedName copy = beside(name);
    ViewDefinition definition = rebuild.definition();
    ViewDefinition.Builder builder = definition.copyAs(copy, readingNewViews(definition.query(), name));
    definition.indexes().forEach(builder::index);
    ViewDefinition built = builder.build();
    List<String> statements = new ArrayList<>();
    List<String> inverse = new ArrayList<>(List.of(Ddl.drop(copy, built.kind(), false, false)));
    if (isFirstOfSchema(name)) {
      statements.add(Ddl.createSchema(copy.schema()));
      inverse.add(Ddl.dropSchema(copy.schema()));
    }
    statements.addAll(Ddl.create(built));
    for (LiveIndex index : rebuild.keptIndexes()) {
      statements.add(Ddl.copyIndex(index.definition(), name, index.name(), copy, index.name(), index.tablespace(),
          index.predicate()));
    }
    live.columnComments().forEach((column, comment) -> {
      if (rebuild.columns().contains(column)) {
        statements.add(Ddl.commentOnColumn(copy, column, comment));
      }
    });
    if (built.isMaterialized() && built.withData()) {
      statements.add(Ddl.analyze(copy)); // CREATE ... AS leaves no statistics
    }
    return new Step(Step.Action.CREATE, name, "built beside it in " + copy.schema() + ": " + rebuild.reason(),
        statements, inverse, false);
  }

  private boolean isFirstOfSchema(QualifiedName view) {
    return rebuilt.stream().filter(name -> name.schema().equals(view.schema())).findFirst().orElseThrow().equals(view);
  }

  /**
   * The tail step of {@code rebuild}, once the old view is dropped: the new view moved into place
   * with its indexes, then the owner, privileges and triggers of the old one; the last of its schema
   * drops the emptied work schema. Its inverse moves the view back.
   */
  Step swapIn(Rebuild rebuild) {
    LiveView live = rebuild.live();
    QualifiedName name = live.name();
    QualifiedName copy = beside(name);
    ViewKind kind = rebuild.definition().kind();
    List<String> statements = new ArrayList<>();
    List<String> inverse = new ArrayList<>();
    boolean lastOfSchema = left.merge(name.schema(), -1, Integer::sum) == 0;
    if (lastOfSchema) {
      inverse.add(Ddl.createSchema(copy.schema()));
    }
    statements.add(Ddl.setSchema(copy, kind, name.schema()));
    inverse.add(Ddl.setSchema(name, kind, copy.schema()));
    statements.addAll(Restore.privileges(live, name, kind, rebuild.columns(), catalog));
    if (kind == live.kind()) {
      statements.addAll(live.triggers());
    }
    if (lastOfSchema) {
      statements.add(Ddl.dropSchema(copy.schema()));
    }
    return new Step(Step.Action.RENAME, name, "moved into place for the old one: " + rebuild.reason(), statements,
        inverse, true);
  }
}
