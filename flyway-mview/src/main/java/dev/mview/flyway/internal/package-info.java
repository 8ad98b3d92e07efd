/**
 * Internals of the Flyway front end: the declaration a migration makes, the journal table of
 * inverses, and the adapters onto the shared model's planner and refresher. Not an API: anything
 * here may change in any release.
 */
package dev.mview.flyway.internal;
