/**
 * The {@code mview} command line: {@code refresh}, {@code status} and {@code graph}, started by
 * {@link dev.mview.cli.Main}. Ships as a runnable jar with the PostgreSQL driver inside.
 */
package dev.mview.cli;
