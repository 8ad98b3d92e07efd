/**
 * PostgreSQL DDL rendering and identifier quoting: the only place where names become SQL text.
 */
package dev.mview.sql;
