/**
 * How Liquibase's snapshot, diff and diff-to-changes see materialized views: the snapshot
 * generator (through shared-model's catalog reader), the comparator, and the change generators for
 * missing, unexpected and changed views, with the ordering they share with Liquibase's own plain
 * views. Public only because Liquibase's service loader needs public classes with no-argument
 * constructors; not an API.
 */
package dev.mview.liquibase.internal.diff;
