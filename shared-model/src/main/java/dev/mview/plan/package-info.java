/**
 * Plans: ordered steps, each with its SQL and its inverse, printable as a script and executed on a
 * JDBC connection as one unit.
 */
package dev.mview.plan;
