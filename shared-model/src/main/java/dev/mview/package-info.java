/**
 * mview: PostgreSQL materialized views for Flyway and Liquibase. This package holds only the root
 * exception; the model, graph, renderer, catalog, planner and refresh engine live in sub-packages.
 */
package dev.mview;
