package dev.mview.flyway;

import dev.mview.MviewException;
import dev.mview.flyway.internal.Declaration;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.TableChange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a view migration declares: views (materialized or plain), views to drop, and statements
 * that change the tables views read ({@link #alterTable}). Handed to
 * {@code declare(Views)}; the order of declaration does not matter, mview orders by dependency.
 *
 * <pre>{@code
 * protected void declare(Views views) {
 *   views.materialized("analytics.daily_sales", sql("db/views/daily_sales.sql"))
 *       .index(IndexDefinition.unique("day"))
 *       .comment("Paid sales per day");
 *   views.drop("analytics.old_report");
 * }
 * }</pre>
 *
 * The builders returned are the shared model's {@link ViewDefinition.Builder}: chain indexes,
 * comments and options on them; they are built when {@code declare} returns.
 */
public final class Views {
  private final List<ViewDefinition.Builder> builders = new ArrayList<>();
  private final List<ViewDefinition> definitions = new ArrayList<>();
  private final Set<QualifiedName> drops = new LinkedHashSet<>();
  private TableChange.Builder tableChange;

  Views() {}

  /**
   * Declares a materialized view. {@code name} is read as SQL ({@code schema.name}; quote parts
   * with upper case or spaces); {@code query} is its {@code SELECT}, inline or from {@code sql(...)}.
   */
  public ViewDefinition.Builder materialized(String name, String query) {
    return keep(ViewDefinition.materializedView(name, query));
  }

  /** Declares a plain view, for example one that reads materialized views or that they read. */
  public ViewDefinition.Builder view(String name, String query) {
    return keep(ViewDefinition.view(name, query));
  }

  /** Declares a view built elsewhere with the shared model. */
  public Views add(ViewDefinition definition) {
    definitions.add(Objects.requireNonNull(definition, "definition"));
    return this;
  }

  /**
   * Declares that a view (plain or materialized) is dropped. The drop's inverse recreates it as
   * it was when the migration ran. Views that still read it make the migration fail, naming them:
   * drop or redeclare those too.
   */
  public Views drop(String name) {
    drops.add(QualifiedName.parse(name));
    return this;
  }

  /**
   * Declares a statement that changes a table views read, such as
   * {@code ALTER TABLE shop.orders ALTER COLUMN amount TYPE numeric(12,2)}. The views in its way
   * (those reading a column whose type it changes or that it drops, and what reads them; declared
   * or made by hand) are dropped before it and built again after it with everything they carry,
   * in the migration's transaction; views declared here are built from their declarations. Call
   * it once per statement, in the order they run. On the builder returned, give the reverse
   * statements ({@code reverse(...)}), which {@link MviewRollback} and {@link UndoScripts} need
   * to undo the migration, and name the relations a statement mview cannot read changes
   * ({@code relation(...)}).
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} when
   *     {@code sql} is not one statement
   */
  public TableChange.Builder alterTable(String sql) {
    if (tableChange == null) {
      tableChange = TableChange.builder();
    }
    return tableChange.statement(sql);
  }

  private ViewDefinition.Builder keep(ViewDefinition.Builder builder) {
    builders.add(builder);
    return builder;
  }

  /** The finished declaration of {@code migration} (its name, for messages). */
  Declaration finish(String migration, String label) {
    List<ViewDefinition> all = new ArrayList<>(definitions);
    builders.forEach(builder -> all.add(builder.build()));
    for (ViewDefinition definition : all) {
      if (drops.contains(definition.name())) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, migration + " both declares and drops view " + definition.name()
            + ": keep one of the two");
      }
    }
    return new Declaration(label, ViewModel.of(all), List.copyOf(drops),
        tableChange == null ? null : tableChange.build());
  }
}
