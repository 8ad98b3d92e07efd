/**
 * Liquibase change types for PostgreSQL materialized views: {@link
 * dev.mview.liquibase.CreateMaterializedViewChange createMaterializedView}, {@link
 * dev.mview.liquibase.RefreshMaterializedViewsChange refreshMaterializedViews}, {@link
 * dev.mview.liquibase.DropMaterializedViewChange dropMaterializedView}, and {@link
 * dev.mview.liquibase.KeepViewsChange keepViews}, which runs Liquibase's own column changes with the
 * views in their way rebuilt around them.
 *
 * <p>Each change is a thin translation: it reads its properties into the shared model and lets the
 * model decide the SQL, the order, what to recreate and how to refresh. With a live database the plan
 * is made from the catalog; under {@code update-sql} or an {@code offline:} URL it is made from the
 * changelog alone and says so in a comment. XML changelogs use the namespace {@value
 * dev.mview.liquibase.internal.MviewNamespaceDetails#NAMESPACE} with the schema {@value
 * dev.mview.liquibase.internal.MviewNamespaceDetails#SCHEMA_URL}; YAML and JSON use the same
 * property names.
 */
package dev.mview.liquibase;
