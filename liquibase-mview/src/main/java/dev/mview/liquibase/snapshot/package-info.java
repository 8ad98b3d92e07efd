/**
 * The database object Liquibase snapshots for PostgreSQL materialized views, {@link
 * dev.mview.liquibase.snapshot.MaterializedView}: what {@code snapshot} prints and
 * {@code generate-changelog}, {@code diff}, {@code diff-changelog} and {@code drop-all} work from.
 */
package dev.mview.liquibase.snapshot;
