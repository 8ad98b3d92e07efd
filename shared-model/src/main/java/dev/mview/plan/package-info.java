/**
 * Plans: ordered steps, each with its SQL and its inverse, printable as a script and executed on a
 * JDBC connection as one unit. {@link dev.mview.plan.Reconciler} plans a model against the live
 * database, and a {@link dev.mview.plan.TableChange} (DDL on tables views read) together with it.
 */
package dev.mview.plan;
