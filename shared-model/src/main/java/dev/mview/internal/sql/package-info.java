/**
 * The PostgreSQL DDL renderer the planners use: every name goes through
 * {@link dev.mview.sql.Identifiers#quote}, every constant through {@link dev.mview.sql.Literals}.
 * Not an API; it may change in any release.
 */
package dev.mview.internal.sql;
