/**
 * Materialized views for Flyway: thin translations of Flyway's Java-migration and callback
 * extension points onto mview's shared model.
 *
 * <ul>
 *   <li>{@link dev.mview.flyway.MaterializedViewMigration}: a versioned migration ({@code V3__Sales_views})
 *       that declares views; it creates, replaces (dependents preserved) and drops them in
 *       dependency order, changes tables views read with those views rebuilt around the change
 *       ({@link dev.mview.flyway.Views#alterTable}), and journals the inverse for rollback;
 *   <li>{@link dev.mview.flyway.RepeatableViewMigration}: a repeatable migration ({@code R__Views})
 *       holding the current model; its checksum is the model's fingerprint, so Flyway re-runs it
 *       exactly when a definition changes; it reconciles and refreshes;
 *   <li>{@link dev.mview.flyway.MviewRefreshCallback}: refreshes after {@code migrate}, registered by the
 *       user (never shipped in {@code db/callback});
 *   <li>{@link dev.mview.flyway.MviewRollback} and {@link dev.mview.flyway.UndoScripts}: roll view
 *       migrations back with the free edition, or render {@code U<version>__*.sql} undo scripts for
 *       the paid edition's {@code undo}.
 * </ul>
 */
package dev.mview.flyway;
