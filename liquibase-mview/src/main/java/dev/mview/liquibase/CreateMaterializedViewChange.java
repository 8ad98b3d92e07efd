package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.liquibase.internal.PlanStatement;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.CheckSum;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.RollbackImpossibleException;
import liquibase.exception.ValidationErrors;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.serializer.LiquibaseSerializable;
import liquibase.statement.SqlStatement;

/**
 * {@code createMaterializedView}: creates a materialized view with its unique key and comment, or,
 * with {@code replaceIfExists}, replaces a changed one together with the views that read it.
 *
 * <pre>{@code
 * <mview:createMaterializedView viewName="daily_sales" schemaName="analytics" uniqueKey="day">
 *   SELECT ordered_on AS day, sum(amount) AS total FROM shop.orders GROUP BY ordered_on
 * </mview:createMaterializedView>
 * }</pre>
 *
 * <p>The {@code createMaterializedView} changes of one changeset (or of one rollback block) are one
 * model, planned once, where the first of them stands: in dependency order, with a cycle between
 * them an error, as a Flyway view migration is. Without {@code replaceIfExists} a view that exists
 * already is an error.
 *
 * <p>Rollback drops a created view. A replacing changeset rolls back to the definition of the last
 * earlier {@code createMaterializedView} of the same view in the changelog; when there is none the
 * changeset needs an explicit {@code <rollback>}. The rollback of a changeset's creates is planned
 * once too, by the last of them (Liquibase undoes changes last first).
 */
@DatabaseChange(name = "createMaterializedView",
    description = "Creates a PostgreSQL materialized view, or replaces a changed one with its dependents",
    priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "view")
public class CreateMaterializedViewChange extends SingleMaterializedViewChange {
  private String selectQuery;
  private String path;
  private Boolean relativeToChangelogFile;
  private String encoding;
  private Boolean withData;
  private String tablespace;
  private String comment;
  private String uniqueKey;
  private Boolean replaceIfExists;
  private Boolean online;
  /** For a copy that recreates a dropped view on behalf of a rollback: the drop it undoes; else null. */
  private DropMaterializedViewChange undoes;

  /** An empty change, filled in by Liquibase's changelog parsers. */
  public CreateMaterializedViewChange() {
    // properties are set one by one
  }

  /** The defining query; in XML the element's text. Exclusive with {@link #getPath() path}. */
  @DatabaseChangeProperty(description = "The SELECT that defines the view (XML: the element text)",
      serializationType = LiquibaseSerializable.SerializationType.DIRECT_VALUE)
  public String getSelectQuery() {
    return selectQuery;
  }

  /** Sets the defining query. */
  public void setSelectQuery(String selectQuery) {
    this.selectQuery = selectQuery;
  }

  /** A file holding the defining query, instead of {@link #getSelectQuery() selectQuery}. */
  @DatabaseChangeProperty(description = "Path of an SQL file holding the SELECT, instead of selectQuery")
  public String getPath() {
    return path;
  }

  /** Sets the path of the query file. */
  public void setPath(String path) {
    this.path = path;
  }

  /** Whether {@link #getPath() path} is relative to the changelog file (default false). */
  @DatabaseChangeProperty(description = "Whether path is relative to the changelog file (default false)")
  public Boolean getRelativeToChangelogFile() {
    return relativeToChangelogFile;
  }

  /** Sets whether the path is relative to the changelog file. */
  public void setRelativeToChangelogFile(Boolean relativeToChangelogFile) {
    this.relativeToChangelogFile = relativeToChangelogFile;
  }

  /** The encoding of the query file (default UTF-8). */
  @DatabaseChangeProperty(description = "Encoding of the file named by path (default UTF-8)")
  public String getEncoding() {
    return encoding;
  }

  /** Sets the encoding of the query file. */
  public void setEncoding(String encoding) {
    this.encoding = encoding;
  }

  /** Whether the view is populated when created (default true). */
  @DatabaseChangeProperty(description = "Populate the view when created (default true)")
  public Boolean getWithData() {
    return withData;
  }

  /** Sets whether the view is populated when created. */
  public void setWithData(Boolean withData) {
    this.withData = withData;
  }

  /** The tablespace to store the view in, or null for the default. */
  @DatabaseChangeProperty(description = "Tablespace to store the view in")
  public String getTablespace() {
    return tablespace;
  }

  /** Sets the tablespace. */
  public void setTablespace(String tablespace) {
    this.tablespace = tablespace;
  }

  /** The view's comment, or null for none. */
  @DatabaseChangeProperty(description = "Comment on the view")
  public String getComment() {
    return comment;
  }

  /** Sets the view's comment. */
  public void setComment(String comment) {
    this.comment = comment;
  }

  /** Comma-separated columns of a unique index: the key {@code REFRESH ... CONCURRENTLY} needs. */
  @DatabaseChangeProperty(description = "Comma-separated columns of a unique index, which lets refreshes run concurrently",
      exampleValue = "day")
  public String getUniqueKey() {
    return uniqueKey;
  }

  /** Sets the unique key columns. */
  public void setUniqueKey(String uniqueKey) {
    this.uniqueKey = uniqueKey;
  }

  /** Whether an existing view with another definition is replaced, with its dependents (default false). */
  @DatabaseChangeProperty(description = "Replace an existing view whose definition changed, recreating the views that read it (default false)")
  public Boolean getReplaceIfExists() {
    return replaceIfExists;
  }

  /** Sets whether an existing view is replaced. */
  public void setReplaceIfExists(Boolean replaceIfExists) {
    this.replaceIfExists = replaceIfExists;
  }

  /**
   * With {@code replaceIfExists}: whether the views the replace rebuilds are built beside the live
   * ones first and moved into place by the changeset's last statements, so readers wait only for
   * that, not for the rebuild (default false). One such change makes its whole changeset online.
   */
  @DatabaseChangeProperty(description = "With replaceIfExists: build the new view and the views that read it beside the"
      + " live ones, then swap them in at the end, so readers wait only for the swap, not the rebuild (default false)")
  public Boolean getOnline() {
    return online;
  }

  /** Sets whether a replace is built beside the live views and swapped in. */
  public void setOnline(Boolean online) {
    this.online = online;
  }

  @Override
  public ValidationErrors validate(Database database) {
    ValidationErrors errors = new ValidationErrors(this);
    Changes.requirePostgres(errors, this, database);
    rejectUnknownProperties(errors);
    if (getViewName() == null || getViewName().isBlank()) {
      errors.addError("createMaterializedView needs viewName: the name of the materialized view to create");
    }
    boolean hasQuery = selectQuery != null && !selectQuery.isBlank();
    boolean hasPath = path != null && !path.isBlank();
    if (hasQuery == hasPath) {
      errors.addError("createMaterializedView " + (getViewName() == null ? "" : getViewName() + " ")
          + (hasQuery ? "has both selectQuery and path: keep one of them"
              : "needs its query: give selectQuery (the element text in XML) or path (an SQL file)"));
    }
    if (encoding != null && !Charset.isSupported(encoding)) {
      errors.addError("createMaterializedView " + getViewName() + " has encoding '" + encoding
          + "', which this Java does not know: use a charset name such as UTF-8");
    }
    return errors;
  }

  @Override
  public boolean generateStatementsVolatile(Database database) {
    // Planned from the catalog at the moment it runs (a replace, and the check of a new query).
    return database.getConnection() instanceof JdbcConnection;
  }

  @Override
  public SqlStatement[] generateStatements(Database database) {
    try {
      List<CreateMaterializedViewChange> group = group();
      if (group.get(0) != this) {
        return new SqlStatement[0]; // planned, with this one, by the first create of its changeset
      }
      List<ViewDefinition> definitions = new ArrayList<>();
      ReconcileOptions.Builder options = ReconcileOptions.builder();
      for (CreateMaterializedViewChange create : group) {
        definitions.add(create.definition(database));
        if (!create.replacing()) {
          options.createOnly(create.qualifiedName(database));
        }
      }
      options.online(online(group));
      Change origin = undoes == null ? this : undoes;
      ViewModel earlier = undoes == null ? ChangelogHistory.earlierModel(this, database)
          : ChangelogHistory.modelAfter(undoes, database);
      return plan(origin, undoes != null, database, ViewModel.of(definitions), options.build(), earlier);
    } catch (MviewException e) {
      throw Changes.failure(getChangeSet(), e);
    }
  }

  /**
   * The plan that brings the database to {@code model}: from the live catalog, or from
   * {@code earlier} (what the changelog says the database holds then) where {@link Planning} says
   * the catalog cannot be trusted.
   */
  private static SqlStatement[] plan(Change origin, boolean rollingBack, Database database, ViewModel model,
      ReconcileOptions options, ViewModel earlier) {
    Planning planning = Planning.of(origin, database, rollingBack,
        (catalog, touched) -> !Collections.disjoint(Reconciler.inputs(catalog, model, options), touched));
    Plan plan = planning.live() ? Reconciler.plan(planning.connection(), model, options)
        : Reconciler.planOffline(earlier, model, options);
    return new SqlStatement[] {PlanStatement.of(plan, planning.note())};
  }

  /**
   * The creates planned as one with this one: those of the changeset's changes, or of its rollback
   * block, that holds this one, in order; this one alone when it stands elsewhere (a copy made for
   * a rollback).
   */
  private List<CreateMaterializedViewChange> group() {
    ChangeSet changeSet = getChangeSet();
    if (changeSet != null && undoes == null) {
      for (List<Change> changes : List.of(changeSet.getChanges(), changeSet.getRollback().getChanges())) {
        if (changes.stream().anyMatch(change -> change == this)) {
          return changes.stream().filter(CreateMaterializedViewChange.class::isInstance)
              .map(CreateMaterializedViewChange.class::cast).toList();
        }
      }
    }
    return List.of(this);
  }

  /** Whether any change of {@code group} asks for an online replace. */
  private static boolean online(List<CreateMaterializedViewChange> group) {
    return group.stream().anyMatch(create -> Changes.flag(create.online, false));
  }

  @Override
  public boolean supportsRollback(Database database) {
    // Always offered: a replacing changeset without history gets a clear message at rollback time.
    return true;
  }

  /**
   * Undoes the creates of this one's changeset, all in one plan made by the last of them: drops
   * the views they created, and defines the ones they replaced back as the last earlier
   * {@code createMaterializedView} of each defined it (rebuilding what reads them). The others
   * give nothing.
   */
  @Override
  public SqlStatement[] generateRollbackStatements(Database database) throws RollbackImpossibleException {
    List<CreateMaterializedViewChange> group = group();
    if (group.get(group.size() - 1) != this) {
      return new SqlStatement[0];
    }
    try {
      List<ViewDefinition> previous = new ArrayList<>();
      ReconcileOptions.Builder options = ReconcileOptions.builder().requireDropsExist(true).online(online(group));
      for (CreateMaterializedViewChange create : group) {
        QualifiedName name = create.qualifiedName(database);
        if (!create.replacing()) {
          options.dropMaterialized(name);
          continue;
        }
        CreateMaterializedViewChange earlier = ChangelogHistory.lastCreate(create, name, database).orElseThrow(() ->
            new RollbackImpossibleException(Changes.describe(getChangeSet()) + ": createMaterializedView " + name
                + " with replaceIfExists cannot be rolled back automatically: no earlier createMaterializedView of"
                + " that view in this changelog holds the previous definition. Add a <rollback> to the changeset"
                + " (for example the previous createMaterializedView with replaceIfExists=\"true\")"));
        previous.add(earlier.definition(database));
      }
      return plan(this, true, database, ViewModel.of(previous), options.build(),
          ChangelogHistory.modelAfter(this, database));
    } catch (MviewException e) {
      throw Changes.failure(getChangeSet(), e);
    }
  }

  /**
   * A copy of this change, with its query read in, that creates this definition anew on behalf of
   * the rollback of {@code drop}, which dropped the view.
   */
  CreateMaterializedViewChange restoring(DropMaterializedViewChange drop) {
    CreateMaterializedViewChange copy = new CreateMaterializedViewChange();
    copy.setCatalogName(getCatalogName());
    copy.setSchemaName(getSchemaName());
    copy.setViewName(getViewName());
    copy.setSelectQuery(query());
    copy.setWithData(withData);
    copy.setTablespace(tablespace);
    copy.setComment(comment);
    copy.setUniqueKey(uniqueKey);
    copy.undoes = drop;
    copy.setChangeSet(drop.getChangeSet());
    return copy;
  }

  @Override
  public CheckSum generateCheckSum() {
    if (path == null) {
      return super.generateCheckSum();
    }
    // The file's content is part of the change: editing it must change the checksum (runOnChange).
    try {
      return CheckSum.compute(super.generateCheckSum() + ":" + query());
    } catch (MviewException e) {
      throw Changes.failure(getChangeSet(), e);
    }
  }

  /**
   * The shared-model definition this change declares, in {@code database}'s default schema when it
   * names none: what {@code update} creates, or reconciles the live view to with
   * {@code replaceIfExists}.
   *
   * @throws dev.mview.MviewException when a property is not usable (a bad name, an empty query, a
   *     query file that cannot be read)
   */
  public ViewDefinition definition(Database database) {
    ViewDefinition.Builder builder = ViewDefinition.materializedView(qualifiedName(database), query())
        .withData(Changes.flag(withData, true))
        .tablespace(tablespace)
        .comment(comment);
    if (uniqueKey != null && !uniqueKey.isBlank()) {
      builder.index(IndexDefinition.unique(columns(uniqueKey)));
    }
    return builder.build();
  }

  private static String[] columns(String list) {
    return Arrays.stream(list.split(",")).map(String::strip).toArray(String[]::new);
  }

  private boolean replacing() {
    return Changes.flag(replaceIfExists, false);
  }

  private String query() {
    if (path == null || path.isBlank()) {
      return selectQuery;
    }
    try {
      ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
      Resource resource = Changes.flag(relativeToChangelogFile, false) && getChangeSet() != null
          ? accessor.get(getChangeSet().getChangeLog().getPhysicalFilePath()).resolveSibling(path)
          : accessor.get(path);
      if (!resource.exists()) {
        throw new MviewException(MviewException.Kind.FILE, "the query file '" + path + "' of view " + getViewName() + " was not found"
            + (Changes.flag(relativeToChangelogFile, false) ? " next to the changelog" : " on the search path")
            + ": check path and relativeToChangelogFile");
      }
      try (InputStream in = resource.openInputStream()) {
        return new String(in.readAllBytes(), encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding));
      }
    } catch (IOException e) {
      throw new MviewException(MviewException.Kind.FILE, "could not read the query file '" + path + "' of view " + getViewName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String getConfirmationMessage() {
    return "Materialized view " + getViewName() + (replacing() ? " created or replaced" : " created");
  }
}
