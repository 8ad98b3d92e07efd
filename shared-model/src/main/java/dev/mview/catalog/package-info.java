/**
 * Reads the live database: views and materialized views with their definitions, populated flag,
 * indexes, comments, owner, privileges, options and triggers, and the dependency edges between
 * relations, in a fixed number of queries.
 */
package dev.mview.catalog;
