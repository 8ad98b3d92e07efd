package dev.mview.it.tables.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** Drops t.orders.note and redeclares t.notes, which read it, without it (the README's example). */
public class V2__Drop_note_and_redeclare extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.alterTable("ALTER TABLE t.orders DROP COLUMN note").reverse("ALTER TABLE t.orders ADD COLUMN note text");
    views.view("t.notes", "SELECT id, customer FROM t.orders");
  }
}
