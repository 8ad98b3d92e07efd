/**
 * The declared model: immutable {@link dev.mview.model.ViewDefinition}s and
 * {@link dev.mview.model.IndexDefinition}s with validating builders, {@link
 * dev.mview.model.QualifiedName}, and {@link dev.mview.model.ViewModel}, which infers from the
 * queries which view reads which.
 */
package dev.mview.model;
