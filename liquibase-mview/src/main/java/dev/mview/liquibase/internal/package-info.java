/**
 * The Liquibase plumbing behind the change types: the one statement type that carries a shared-model
 * {@link dev.mview.plan.Plan}, its SQL generator, and the XML namespace details. Public only because
 * Liquibase's service loader needs public classes with no-argument constructors; not an API.
 */
package dev.mview.liquibase.internal;
