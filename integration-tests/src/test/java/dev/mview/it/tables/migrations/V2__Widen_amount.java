package dev.mview.it.tables.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** Widens t.orders.amount, and says how to narrow it back (the README's Flyway example). */
public class V2__Widen_amount extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.alterTable("ALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(12,2)")
        .reverse("ALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(10,2)");
  }
}
