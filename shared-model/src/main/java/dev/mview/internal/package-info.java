/**
 * The engine's internals, shared by its planners: the DDL renderer, what a recreated relation gets
 * back from the live one, and the unit-of-work helper. Not an API: front ends and users call the
 * planners in {@code dev.mview.plan} and {@code dev.mview.refresh}; anything here may change in any
 * release.
 */
package dev.mview.internal;
