package dev.mview.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import dev.mview.model.ViewModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconciler's checks of new views, create-only views and drops, from what it read, without a database. */
class ReconcilerChecksTest {
  private static final String OWNER = "app";

  private static LiveView matview(String name, String definition, String... columns) {
    return new LiveView(QualifiedName.parse(name), 1, ViewKind.MATERIALIZED_VIEW, definition, true, OWNER, null,
        Map.of(), null, List.of(columns), Map.of(), List.of(), List.of(), null, List.of());
  }

  private static ChangeDetector.Probe ran(String definition, String... columns) {
    return new ChangeDetector.Probe(definition, List.of(columns), Map.of(), null, false);
  }

  private static ChangeDetector.Probe failed(String failure, boolean schemaMissing) {
    return new ChangeDetector.Probe(null, List.of(), Map.of(), failure, schemaMissing);
  }

  private static Catalog.Builder catalog() {
    return Catalog.builder().currentUser(OWNER);
  }

  @Test
  void aNewViewWhoseQueryDoesNotRunFailsAtPlanningNamingIt() {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.n", "SELECT nope FROM s.t").build());

    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(model, catalog().build(),
        Map.of(QualifiedName.parse("s.n"), failed("ERROR: column \"nope\" does not exist", false)),
        ReconcileOptions.defaults()));

    assertEquals(MviewException.Kind.QUERY_DOES_NOT_RUN, e.kind());
    assertEquals("the query of materialized view s.n does not run: ERROR: column \"nope\" does not exist\n"
        + "Nothing was changed. Fix the definition of s.n and run again.", e.getMessage());
  }

  @Test
  void aNewViewInASchemaThatDoesNotExistSaysSoAndHowToCreateIt() {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("\"Sales Data\".n", "SELECT 1 AS one").build());

    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(model, catalog().build(),
        Map.of(QualifiedName.of("Sales Data", "n"), failed("ERROR: schema \"Sales Data\" does not exist", true)),
        ReconcileOptions.defaults()));

    assertEquals(MviewException.Kind.NO_SUCH_SCHEMA, e.kind());
    assertEquals("schema Sales Data of materialized view Sales Data.n does not exist: create it first"
        + " (CREATE SCHEMA \"Sales Data\") in an earlier migration or changeset. Nothing was changed.", e.getMessage());
  }

  @Test
  void aNewViewThatCannotBeCheckedBecauseWhatItReadsIsReplacedFirstIsPlanned() {
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("s.a", "SELECT id, n FROM s.t").build(),
        ViewDefinition.materializedView("s.b", "SELECT n FROM s.a").build(),
        ViewDefinition.materializedView("s.c", "SELECT n FROM s.b").build());
    Catalog catalog = catalog().view(matview("s.a", " SELECT t.id\n   FROM s.t;", "id")).edge(QualifiedName.parse("s.a"),
        QualifiedName.parse("s.t")).build();

    Plan plan = Reconciler.plan(model, catalog, Map.of(
        QualifiedName.parse("s.a"), ran(" SELECT t.id,\n    t.n\n   FROM s.t;", "id", "n"),
        QualifiedName.parse("s.b"), failed("ERROR: column \"n\" does not exist", false),
        QualifiedName.parse("s.c"), failed("ERROR: relation \"s.b\" does not exist", false)), ReconcileOptions.defaults());

    assertEquals(List.of("drop s.a: to be replaced: definition changed", "create s.a: definition changed",
        "create s.b: new materialized view, reads s.a", "create s.c: new materialized view, reads s.b"),
        plan.steps().stream().map(Step::heading).toList());
  }

  @Test
  void aViewToCreateOnlyThatExistsIsRefused() {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT id FROM s.t").build());
    Catalog catalog = catalog().view(matview("s.a", " SELECT t.id\n   FROM s.t;", "id")).build();

    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(model, catalog,
        Map.of(QualifiedName.parse("s.a"), ran(" SELECT t.id\n   FROM s.t;", "id")),
        ReconcileOptions.builder().createOnly(QualifiedName.parse("s.a")).build()));

    assertEquals(MviewException.Kind.ALREADY_EXISTS, e.kind());
    assertEquals("cannot create materialized view s.a: a materialized view of that name already exists, and it was"
        + " declared to be created, not replaced. Declare it as a replacement, or drop it first. Nothing was changed.",
        e.getMessage());
  }

  @Test
  void offlineAViewToCreateOnlyIsNotDroppedIfItExists() {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT id FROM s.t").build());

    Plan plan = Reconciler.planOffline(ViewModel.of(), model,
        ReconcileOptions.builder().createOnly(QualifiedName.parse("s.a")).build());

    assertEquals(List.of("create s.a: new materialized view"), plan.steps().stream().map(Step::heading).toList());
  }

  /**
   * A replaced view that no longer reads a view to drop lets it go: the reader is dropped first and
   * rebuilt without it, and what reads the reader is rebuilt too (a rollback of "create c, make b
   * read c" is exactly this).
   */
  @Test
  void aViewMayBeDroppedWhenItsDeclaredReaderNoLongerReadsIt() {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.b", "SELECT id FROM s.t").build());
    Catalog catalog = catalog()
        .view(matview("s.c", " SELECT t.id\n   FROM s.t;", "id"))
        .view(matview("s.b", " SELECT c.id\n   FROM s.c;", "id"))
        .view(matview("s.z", " SELECT b.id\n   FROM s.b;", "id"))
        .edge(QualifiedName.parse("s.c"), QualifiedName.parse("s.t"))
        .edge(QualifiedName.parse("s.b"), QualifiedName.parse("s.c"))
        .edge(QualifiedName.parse("s.z"), QualifiedName.parse("s.b"))
        .build();

    Plan plan = Reconciler.plan(model, catalog, Map.of(QualifiedName.parse("s.b"), ran(" SELECT t.id\n   FROM s.t;", "id")),
        ReconcileOptions.builder().drop(QualifiedName.parse("s.c")).build());

    assertEquals("""
        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- drop s.z: depends on s.b, which changed; recreated below
        DROP MATERIALIZED VIEW s.z;

        -- drop s.b: to be replaced: definition changed
        DROP MATERIALIZED VIEW s.b;

        -- drop s.c: declared dropped
        DROP MATERIALIZED VIEW s.c;

        -- create s.b: definition changed
        CREATE MATERIALIZED VIEW s.b AS
        SELECT id FROM s.t
        WITH DATA;

        -- recreate s.z: depends on s.b, which changed
        CREATE MATERIALIZED VIEW s.z AS
        SELECT b.id
           FROM s.b
        WITH DATA;

        """, plan.toScript());
  }

  @Test
  void aViewStillReadByItsDeclaredReaderIsNotDropped() {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.b", "SELECT id, 1 AS one FROM s.c").build());
    Catalog catalog = catalog()
        .view(matview("s.c", " SELECT t.id\n   FROM s.t;", "id"))
        .view(matview("s.b", " SELECT c.id\n   FROM s.c;", "id"))
        .edge(QualifiedName.parse("s.b"), QualifiedName.parse("s.c"))
        .build();

    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(model, catalog,
        Map.of(QualifiedName.parse("s.b"), ran(" SELECT c.id, 1 AS one\n   FROM s.c;", "id", "one")),
        ReconcileOptions.builder().drop(QualifiedName.parse("s.c")).build()));

    assertEquals(MviewException.Kind.HAS_DEPENDENTS, e.kind());
    assertEquals("cannot drop s.c: s.b reads it, and s.b is still declared. Change or remove those declarations first.",
        e.getMessage());
  }
}
